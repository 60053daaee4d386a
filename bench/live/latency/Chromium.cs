using Microsoft.Playwright;

namespace Argus.Bench.Latency;

/// <summary>How Argus drives a browser on a server: Debian's Chromium, because Playwright's own
/// browser download does not work here (docs: /work/shared/DESIGN.md).</summary>
public static class Chromium
{
    /// <summary>ARGUS_CHROMIUM overrides the executable (e.g. another distribution's path).</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("ARGUS_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    // No sandbox: tests run as root in containers; no GPU: there is none, and software paths are deterministic.
    // The rest stops Chromium phoning home or updating components in the middle of a measurement.
    public static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright, bool headless = true)
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} not found: install Debian's chromium (tools/testbed/testbed.sh check browser)");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = headless,
            Args = Args,
        });
    }
}
