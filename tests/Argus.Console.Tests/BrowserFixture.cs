using System.Runtime.CompilerServices;
using Argus.Bench.Latency;
using Microsoft.Playwright;

namespace Argus.Console.Tests;

/// <summary>One headless Chromium per test collection; every test gets its own context (cookies, storage,
/// init scripts) and page. When a test fails, a screenshot and the page's console land in <see cref="Artifacts"/>.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>ARGUS_TEST_ARTIFACTS, else browser-artifacts/ next to the test assembly.</summary>
    public string Artifacts { get; } = Environment.GetEnvironmentVariable("ARGUS_TEST_ARTIFACTS") is { Length: > 0 } dir
        ? dir
        : Path.Combine(AppContext.BaseDirectory, "browser-artifacts");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("browser not started");

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>Runs <paramref name="body"/> on a fresh page. <paramref name="prepare"/> runs on the new context
    /// before the page exists (init scripts, routes).</summary>
    public async Task RunAsync(Func<IPage, Task> body, Func<IBrowserContext, Task>? prepare = null, [CallerMemberName] string test = "")
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 800 } });
        if (prepare is not null) await prepare(context);
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => { lock (console) console.Add($"{m.Type}: {m.Text}"); };
        page.PageError += (_, e) => { lock (console) console.Add($"pageerror: {e}"); };
        try
        {
            await body(page);
        }
        catch (Exception e)
        {
            Directory.CreateDirectory(Artifacts);
            var stem = Path.Combine(Artifacts, $"{test}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = stem + ".png", FullPage = true });
            }
            catch (PlaywrightException shot)
            {
                lock (console) console.Add($"(no screenshot: {shot.Message})");
            }
            lock (console) File.WriteAllLines(stem + ".console.txt", [page.Url, .. console]);
            // CI keeps only the message: put what the page said in it too.
            var alerts = await PageAlertsAsync(page);
            string[] tail;
            lock (console) tail = console.TakeLast(8).ToArray();
            throw new BrowserTestException(
                $"{e.Message}\npage: {page.Url}\npage alerts: {alerts}\nconsole tail:\n  {string.Join("\n  ", tail)}\nbrowser artefacts: {stem}.png, {stem}.console.txt", e);
        }
    }

    private static async Task<string> PageAlertsAsync(IPage page)
    {
        try
        {
            var texts = await page.Locator("[role=alert], [role=status]").AllInnerTextsAsync();
            return texts.Count == 0 ? "(none)" : string.Join(" | ", texts);
        }
        catch (PlaywrightException x)
        {
            return $"(unreadable: {x.Message})";
        }
    }
}

public sealed class BrowserTestException(string message, Exception inner) : Exception(message, inner);

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
