using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Argus.Integration.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Argus.Console.Tests;

/// <summary>
/// A traffic engineer in Chromium: draws a counting line across the road on the camera's picture, watches the tracked
/// vehicles' boxes over the live video, and reads the counts chart. The camera serves the real traffic clip.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ObjectConsoleTests(BrowserFixture browser) : IAsyncLifetime
{
    private TestBed _bed = null!;
    private ArgusServer _server = null!;
    private string Base => _server.BaseAddress.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        _bed = TestBed.Start("--file", $"road={Repo.Asset("videos/traffic_cam_multilane.mp4")}");
        _server = await ArgusServer.StartAsync("--detector-model", Repo.Asset("models/yolox_nano.onnx"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _bed.Dispose();
    }

    [Fact]
    public async Task Draw_a_counting_line_see_tracked_boxes_live_and_the_counts_chart()
    {
        var road = await _server.AddCameraAsync(new { name = "Road", mainUrl = _bed.Url("road") });
        await browser.RunAsync(async page =>
        {
            await ConsoleTests.LoginAsync(page, Base, "admin", ArgusServer.AdminPassword);
            await page.GotoAsync($"{Base}/admin/cameras/{road}/zones");
            await page.WaitForFunctionAsync("() => { const i = document.querySelector('.zone-editor img'); return i && i.complete && i.naturalWidth > 0; }",
                null, new PageWaitForFunctionOptions { Timeout = 30000 });
            await page.SelectOptionAsync("#zone-kind", "line");
            var box = (await page.Locator("#zone-canvas").BoundingBoxAsync())!;
            double[][] ends = [[0.95, 0.81], [0.04, 0.20]];
            foreach (var c in ends) await page.Mouse.ClickAsync((float)(box.X + c[0] * box.Width), (float)(box.Y + c[1] * box.Height));
            await page.WaitForFunctionAsync("() => document.querySelector('#draft-count').textContent.startsWith('2 ')");
            await page.FillAsync("#zone-name", "Road count");
            await page.ClickAsync("#zone-save");
            await page.WaitForSelectorAsync("tr[data-line='Road count']");
            var line = (await _server.Client.GetFromJsonAsync<JsonArray>($"/api/cameras/{road}/lines"))!.Single()!;
            Assert.Equal(["car", "bus", "truck", "motorcycle"], line["classes"]!.AsArray().Select(c => c!.GetValue<string>()).Order().Reverse().OrderBy(c => c == "car" ? 0 : c == "bus" ? 1 : c == "truck" ? 2 : 3));
            var a = line["points"]![0]!.AsArray();
            Assert.InRange(a[0]!.GetValue<double>(), 0.94, 0.96);

            // Live, with the tracker's boxes drawn over the video.
            await page.GotoAsync($"{Base}/cameras/{road}");
            await page.ClickAsync("#overlay", new PageClickOptions { Timeout = 30000 });
            await page.WaitForSelectorAsync("svg.overlay rect.track", new PageWaitForSelectorOptions { Timeout = 60000 });
            await page.WaitForSelectorAsync("svg.overlay line.count-line");
            await ConsoleTests.Screenshot(page, "console-objects.png");

            // Counts: once vehicles have crossed, the chart has bars and the legend names classes and directions.
            Assert.True(await ArgusServer.WaitUntilAsync(async () =>
                (await _server.Client.GetFromJsonAsync<JsonArray>($"/api/events?camera={road}&type=line.cross"))!.Count >= 3, TimeSpan.FromSeconds(60)));
            await page.GotoAsync($"{Base}/counts");
            await page.SelectOptionAsync("select >> nth=0", road);
            await page.WaitForSelectorAsync("svg.counts-chart rect", new PageWaitForSelectorOptions { Timeout = 20000 });
            var legend = await page.Locator("ul.legend").InnerTextAsync();
            Assert.Matches("(car|bus|truck|motorcycle) (ab|ba)", legend);
            await ConsoleTests.Screenshot(page, "console-counts.png");
        });
    }
}
