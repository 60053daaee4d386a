using Argus.Bench.Latency;

namespace Argus.Console.Tests;

/// <summary>The clock camera's time stripe survives H.264 and bench/live/stripe.js reads it back.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StripeReaderTests(BrowserFixture browser)
{
    [Fact]
    public async Task FrameTimesOfARecordedClockCameraIncreaseWithinTheRecordingInterval()
    {
        using var dir = new TempDir();
        await using var bed = await TestBedProcess.StartAsync("--clock", "clk:1280x720@25:1000");
        // The shared media (and its clock) only starts once ffmpeg asks for it, so every frame in the
        // file was produced inside [before, after].
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Tools.RunAsync("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-rtsp_transport", "tcp", "-i", bed.Url("clk"),
            "-c", "copy", "-t", "5", dir.File("out.mp4"));
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var frames = int.Parse((await Tools.RunAsync("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
            "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", dir.File("out.mp4"))).Trim());
        await using var site = await LiveSite.StartAsync(new Dictionary<string, string>(), Tools.PagesDir, dir.Path);

        await browser.RunAsync(async page =>
        {
            await page.GotoAsync($"{site.BaseUrl}/play.html?clip=out.mp4");
            await LatencyProbe.StartAsync(page, "#v");
            await page.EvaluateAsync("() => document.getElementById('v').play()");
            await page.WaitForFunctionAsync("() => document.getElementById('v').ended", null, new() { Timeout = 60_000 });
            var (samples, rejected) = await LatencyProbe.StopAsync(page);

            // Most presented frames decode (a headless compositor may skip some; none should fail the check bits).
            Assert.True(samples.Count >= frames / 2, $"{samples.Count} decoded frames of {frames} in the file ({rejected} rejected)");
            Assert.True(rejected * 10 <= samples.Count, $"{rejected} frames rejected, {samples.Count} decoded");
            for (var i = 1; i < samples.Count; i++)
                Assert.True(samples[i].FrameTimeMs > samples[i - 1].FrameTimeMs,
                    $"frame time went from {samples[i - 1].FrameTimeMs} to {samples[i].FrameTimeMs} at sample {i}");
            Assert.All(samples, s => Assert.InRange(s.FrameTimeMs, before, after));
        }, LatencyProbe.InstallAsync);
    }
}
