using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Argus.Bench.Latency;
using Microsoft.Playwright;

// Live camera-to-screen latency, read off the clock camera's time stripe in Chromium.
const string usage = """
    usage:
      argus-bench-latency --page URL --selector CSS [--server URL --user U --password P] [--seconds 30] [--warmup 3] [--headed]
          measure a page that shows the clock camera live (e.g. the console's live view)
      argus-bench-latency --console [--clock WxH@FPS:KBPS] [--seconds 30] [--warmup 3] [--headed]
          measure Argus's console: test bed clock camera -> Argus (recorder ffmpeg -> live fan-out -> WebSocket) -> the
          console's camera page, logged in through its login form
      argus-bench-latency --self-check [--clock WxH@FPS:KBPS] [--seconds 30] [--warmup 3] [--headed]
          measure the reference path: test bed clock camera -> ffmpeg -c copy fMP4 -> WebSocket -> mse-live.js
    Prints one JSON object: samples, rejected frames, p50/p95/p99/max/min latency in ms.
    """;

var opts = ParseArgs(args);
if (opts is null) { Console.Error.WriteLine(usage); return 2; }
var seconds = double.Parse(opts.GetValueOrDefault("seconds", "30"), CultureInfo.InvariantCulture);
var warmup = double.Parse(opts.GetValueOrDefault("warmup", "3"), CultureInfo.InvariantCulture);

await using var stack = new AsyncStack();
string page, selector;
if (opts.ContainsKey("self-check"))
{
    var clock = opts.GetValueOrDefault("clock", "1280x720@25:1000");
    var bed = stack.Push(await TestBedProcess.StartAsync("--clock", $"clk:{clock}"));
    var site = stack.Push(await LiveSite.StartAsync(new Dictionary<string, string> { ["clk"] = bed.Url("clk") }));
    page = $"{site.BaseUrl}/live.html?src=clk";
    selector = "#live";
}
else if (opts.ContainsKey("console"))
{
    var clock = opts.GetValueOrDefault("clock", "1280x720@25:1000");
    var bed = stack.Push(await TestBedProcess.StartAsync("--clock", $"clk:{clock}"));
    var argus = stack.Push(await ArgusProcess.StartAsync());
    var camera = await argus.AddCameraAsync("clock", bed.Url("clk"));
    page = $"{argus.BaseUrl}/cameras/{camera}";
    selector = "#player";
    opts["server"] = argus.BaseUrl;
    opts["user"] = "admin";
    opts["password"] = ArgusProcess.AdminPassword;
}
else if (opts.TryGetValue("page", out var p) && opts.TryGetValue("selector", out var s))
{
    (page, selector) = (p, s);
}
else
{
    Console.Error.WriteLine(usage);
    return 2;
}

using var playwright = await Playwright.CreateAsync();
await using var browser = await Chromium.LaunchAsync(playwright, headless: !opts.ContainsKey("headed"));
var contextOptions = new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 800 } };
await using var context = await browser.NewContextAsync(contextOptions);
await LatencyProbe.InstallAsync(context);
var tab = await context.NewPageAsync();
tab.Console += (_, m) => Console.Error.WriteLine($"[page] {m.Text}");
if (opts.TryGetValue("user", out var user))
{
    // Log in through the console's form, as a person does: the session cookie then carries the live WebSocket.
    var server = opts.GetValueOrDefault("server") ?? new Uri(page).GetLeftPart(UriPartial.Authority);
    await tab.GotoAsync(server + "/login");
    await tab.FillAsync("#user", user);
    await tab.FillAsync("#password", opts.GetValueOrDefault("password", ""));
    await tab.ClickAsync("button[type=submit]");
    await tab.WaitForURLAsync(server + "/");
}
await tab.GotoAsync(page);
await tab.Locator(selector).WaitForAsync();
// Warm-up: the player needs a moment to reach the live edge; those samples say nothing about steady state.
await Task.Delay(TimeSpan.FromSeconds(warmup));
await LatencyProbe.StartAsync(tab, selector);
await Task.Delay(TimeSpan.FromSeconds(seconds));
var (samples, rejected) = await LatencyProbe.StopAsync(tab);
// The reference player reports how far it plays behind its buffered end (one part of the latency).
var player = await tab.EvaluateAsync<string?>("() => window.argusPlayer ? JSON.stringify(window.argusPlayer.stats()) : null");
var summary = LatencyProbe.Summarise(samples, rejected);
var json = JsonSerializer.Serialize(new
{
    page, selector, seconds, warmup, summary.Samples, summary.Rejected,
    p50 = Math.Round(summary.P50, 1), p95 = Math.Round(summary.P95, 1), p99 = Math.Round(summary.P99, 1),
    max = Math.Round(summary.Max, 1), min = Math.Round(summary.Min, 1),
    player = player is null ? (JsonElement?)null : JsonDocument.Parse(player).RootElement,
}, new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
Console.WriteLine(json);
return summary.Samples > 0 ? 0 : 1;

static Dictionary<string, string>? ParseArgs(string[] args)
{
    var flags = new HashSet<string> { "self-check", "console", "headed" };
    var result = new Dictionary<string, string>();
    for (var i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal)) return null;
        var key = args[i][2..];
        if (flags.Contains(key)) result[key] = "";
        else if (i + 1 < args.Length) result[key] = args[++i];
        else return null;
    }
    return result;
}

/// <summary>Disposes what was pushed, last first.</summary>
internal sealed class AsyncStack : IAsyncDisposable
{
    private readonly Stack<IAsyncDisposable> _items = new();

    public T Push<T>(T item) where T : IAsyncDisposable
    {
        _items.Push(item);
        return item;
    }

    public async ValueTask DisposeAsync()
    {
        while (_items.TryPop(out var item)) await item.DisposeAsync();
    }
}
