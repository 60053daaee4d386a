using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Playwright;

namespace Argus.Bench.Latency;

public sealed record Sample(double FrameTimeMs, double NowMs, double LatencyMs, double MediaTime);

public sealed record LatencySummary(
    [property: JsonPropertyName("samples")] int Samples,
    [property: JsonPropertyName("rejected")] int Rejected,
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p95")] double P95,
    [property: JsonPropertyName("p99")] double P99,
    [property: JsonPropertyName("max")] double Max,
    [property: JsonPropertyName("min")] double Min);

/// <summary>Reads latency samples off a &lt;video&gt; showing the clock camera, with bench/live/stripe.js.</summary>
public static class LatencyProbe
{
    public static string StripeScript => Path.Combine(LiveSite.WebRoot, "stripe.js");

    /// <summary>Makes ArgusStripe available in every page of the context. An init script, not a
    /// script tag: it runs before the page's own scripts and is not subject to the page's CSP.</summary>
    public static Task InstallAsync(IBrowserContext context) => context.AddInitScriptAsync(scriptPath: StripeScript);

    public static Task StartAsync(IPage page, string videoSelector) =>
        page.Locator(videoSelector).EvaluateAsync(
            """
            v => {
              const c = window.argusLatency = { samples: [], rejected: 0 };
              c.stop = ArgusStripe.watch(v, s => c.samples.push(s), () => c.rejected++);
            }
            """);

    /// <summary>Stops sampling and returns what was collected since <see cref="StartAsync"/>.</summary>
    public static async Task<(IReadOnlyList<Sample> Samples, int Rejected)> StopAsync(IPage page)
    {
        // As a JSON string: Playwright's own result mapping needs mutable classes.
        var json = await page.EvaluateAsync<string>(
            "() => { const c = window.argusLatency; c.stop(); return JSON.stringify({ samples: c.samples, rejected: c.rejected }); }");
        var result = JsonSerializer.Deserialize<Collected>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))
                     ?? throw new InvalidOperationException("no samples object");
        return (result.Samples, result.Rejected);
    }

    private sealed record Collected(List<Sample> Samples, int Rejected);

    /// <summary>Nearest-rank percentiles of the latencies.</summary>
    public static LatencySummary Summarise(IReadOnlyList<Sample> samples, int rejected)
    {
        var sorted = samples.Select(s => s.LatencyMs).Order().ToArray();
        double Rank(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new LatencySummary(sorted.Length, rejected, Rank(0.50), Rank(0.95), Rank(0.99),
            sorted.Length == 0 ? double.NaN : sorted[^1], sorted.Length == 0 ? double.NaN : sorted[0]);
    }
}
