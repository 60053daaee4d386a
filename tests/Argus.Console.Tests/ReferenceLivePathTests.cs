using System.Text.Json;
using Argus.Bench.Latency;

namespace Argus.Console.Tests;

/// <summary>The bench's reference live path end to end: clock camera -> ffmpeg fMP4 -> WebSocket relay ->
/// bench/live/mse-live.js in Chromium, measured with stripe.js as argus-bench-latency does.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReferenceLivePathTests(BrowserFixture browser)
{
    [Fact]
    public async Task LiveClockCameraPlaysAndEveryFrameIsShownAfterItWasProduced()
    {
        // 640 px wide: 10 px blocks, the smallest stripe the bench is likely to meet.
        await using var bed = await TestBedProcess.StartAsync("--clock", "clk:640x360@25:500");
        await using var site = await LiveSite.StartAsync(new Dictionary<string, string> { ["clk"] = bed.Url("clk") });
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await browser.RunAsync(async page =>
        {
            await page.GotoAsync($"{site.BaseUrl}/live.html?src=clk");
            await LatencyProbe.StartAsync(page, "#live");
            await page.WaitForFunctionAsync("() => window.argusLatency.samples.length >= 50", null, new() { Timeout = 60_000 });
            var (samples, rejected) = await LatencyProbe.StopAsync(page);
            var stats = JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.argusPlayer.stats())")).RootElement;

            Assert.Equal("avc1.42C01E", stats.GetProperty("codec").GetString()); // constrained baseline, level 3.0
            Assert.Equal(1, stats.GetProperty("inits").GetInt32());
            Assert.True(rejected * 10 <= samples.Count, $"{rejected} frames rejected, {samples.Count} decoded");
            // Causality: a frame cannot be on screen before the camera made it, nor made before the test began.
            Assert.All(samples, s => Assert.True(s.LatencyMs > 0 && s.FrameTimeMs >= start, $"frame {s.FrameTimeMs} shown at {s.NowMs}"));
            for (var i = 1; i < samples.Count; i++)
                Assert.True(samples[i].FrameTimeMs > samples[i - 1].FrameTimeMs, $"frame times not increasing at sample {i}");
        }, async context =>
        {
            // As on the CI machine where this failed: the monotonic clock behind performance.timeOrigin had drifted
            // 480 ms from the wall clock the camera stamps. Latency must not depend on timeOrigin.
            await context.AddInitScriptAsync(
                "(() => { const t = performance.timeOrigin - 2000; Object.defineProperty(Performance.prototype, 'timeOrigin', { get: () => t }); })()");
            await LatencyProbe.InstallAsync(context);
        });
    }
}
