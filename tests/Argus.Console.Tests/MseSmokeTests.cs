using Argus.Bench.Latency;

namespace Argus.Console.Tests;

/// <summary>Proves the browser pipeline the console's live view relies on: Debian's Chromium, headless,
/// plays H.264 fragmented MP4 through Media Source Extensions and the frames reach a canvas.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MseSmokeTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("baseline", "3.0", "avc1.42E01E")]
    [InlineData("high", "3.1", "avc1.64001F")]
    public async Task H264FragmentedMp4PlaysThroughMediaSource(string profile, string level, string codec)
    {
        using var dir = new TempDir();
        // testsrc2: colour everywhere, so a black canvas can only mean the frame never arrived.
        await Tools.RunAsync("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
            "-t", "3", "-c:v", "libx264", "-profile:v", profile, "-level", level, "-pix_fmt", "yuv420p", "-g", "25",
            "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", dir.File("clip.mp4"));
        await using var site = await LiveSite.StartAsync(new Dictionary<string, string>(), Tools.PagesDir, dir.Path);

        await browser.RunAsync(async page =>
        {
            await page.GotoAsync($"{site.BaseUrl}/mse-smoke.html?clip=clip.mp4&codec={codec}");
            Assert.Equal("ok", await page.EvaluateAsync<string>("() => window.mseResult"));
            var start = await page.EvaluateAsync<double>("() => document.getElementById('v').currentTime");
            // Playback progresses (waits for it, no time limit beyond Playwright's default timeout).
            await page.WaitForFunctionAsync($"t => document.getElementById('v').currentTime > t + 0.5", start);
            var bright = await page.EvaluateAsync<double>("() => window.nonBlackFraction()");
            Assert.True(bright > 0.5, $"only {bright:P0} of the drawn frame is not black");
        });
    }
}
