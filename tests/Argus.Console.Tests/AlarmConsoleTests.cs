using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Argus.Integration.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Argus.Console.Tests;

/// <summary>
/// The shop owner's evening in Chromium: draw the shop floor on the camera picture, add the intruder rule, arm every
/// camera, and see the alarm arrive live on the alarms page and on the live wall. The camera is the test bed's
/// intruder camera (a block crosses the middle of a still scene for 3 s every 10 s).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AlarmConsoleTests(BrowserFixture browser) : IAsyncLifetime
{
    private TestBed _bed = null!;
    private ArgusServer _server = null!;
    private string Base => _server.BaseAddress.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        _bed = TestBed.Start("--intruder", "shop:640x360@10:500:every10on3");
        _server = await ArgusServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _bed.Dispose();
    }

    [Fact]
    public async Task Draw_a_zone_add_a_rule_arm_and_see_the_alarm_live()
    {
        var shop = await _server.AddCameraAsync(new { name = "Shop", mainUrl = _bed.Url("shop") });
        await browser.RunAsync(async page =>
        {
            await ConsoleTests.LoginAsync(page, Base, "admin", ArgusServer.AdminPassword);
            await page.GotoAsync($"{Base}/admin/cameras/{shop}/zones");
            await page.WaitForFunctionAsync("() => { const i = document.querySelector('.zone-editor img'); return i && i.complete && i.naturalWidth > 0; }",
                null, new PageWaitForFunctionOptions { Timeout = 30000 });
            // Four clicks around the middle band of the picture, where the intruder walks.
            var box = (await page.Locator("#zone-canvas").BoundingBoxAsync())!;
            double[][] corners = [[0.05, 0.3], [0.95, 0.3], [0.95, 0.7], [0.05, 0.7]];
            foreach (var c in corners) await page.Mouse.ClickAsync((float)(box.X + c[0] * box.Width), (float)(box.Y + c[1] * box.Height));
            await page.WaitForFunctionAsync("() => document.querySelector('#draft-count').textContent.startsWith('4 ')");
            await page.FillAsync("#zone-name", "Shop floor");
            await page.ClickAsync("#zone-save");
            await page.WaitForSelectorAsync("tr[data-zone='Shop floor']");
            await ConsoleTests.Screenshot(page, "console-zones.png");
            var zone = (await _server.Client.GetFromJsonAsync<JsonArray>($"/api/cameras/{shop}/zones"))!.Single()!;
            var points = zone["points"]!.AsArray().Select(p => p!.AsArray().Select(v => v!.GetValue<double>()).ToArray()).ToArray();
            Assert.Equal(4, points.Length);
            for (var i = 0; i < 4; i++)
            {
                Assert.InRange(points[i][0], corners[i][0] - 0.01, corners[i][0] + 0.01);
                Assert.InRange(points[i][1], corners[i][1] - 0.01, corners[i][1] + 0.01);
            }

            await page.GotoAsync($"{Base}/alarms");
            await page.FillAsync("#rule-name", "Intruder");
            await page.SelectOptionAsync("#rule-camera", shop);
            await page.FillAsync("#rule-zones", "Shop floor");
            await page.FillAsync("#rule-seconds", "1");
            await page.ClickAsync("#rule-add");
            await page.WaitForSelectorAsync("#rules td:text('Intruder')");
            await page.ClickAsync("#arm-all");
            await page.WaitForSelectorAsync($"#arming tr[data-camera='{shop}'] .status.armed");
            await page.WaitForSelectorAsync("#live-events li[data-type='alarm']", new PageWaitForSelectorOptions { Timeout = 40000 });
            await ConsoleTests.Screenshot(page, "console-alarms.png");

            // The live wall marks the camera while something moves in it.
            await page.GotoAsync(Base + "/");
            await page.WaitForSelectorAsync($".tile[data-camera='{shop}'][data-activity='alarm'], .tile[data-camera='{shop}'][data-activity='motion']",
                new PageWaitForSelectorOptions { Timeout = 40000 });
        });
    }

    [Fact]
    public async Task A_webhook_added_in_the_console_gets_a_test_delivery_shown_in_the_log()
    {
        using var listener = new System.Net.HttpListener();
        var port = Ports.Free();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = listener.GetContextAsync();
        await browser.RunAsync(async page =>
        {
            await ConsoleTests.LoginAsync(page, Base, "admin", ArgusServer.AdminPassword);
            await page.GotoAsync($"{Base}/admin/notifications");
            await page.FillAsync("#target-name", "Owner's phone bridge");
            await page.FillAsync("#target-url", $"http://127.0.0.1:{port}/hook");
            await page.FillAsync("#target-secret", "console-webhook-secret-1");
            await page.FillAsync("#target-events", "alarm");
            await page.ClickAsync("#target-add");
            await page.WaitForSelectorAsync("#targets tr[data-target=\"Owner's phone bridge\"]");
            var test = page.ClickAsync("#targets tr[data-target=\"Owner's phone bridge\"] button:text('Test')");
            var context = await received.WaitAsync(TimeSpan.FromSeconds(30));
            context.Response.StatusCode = 204;
            context.Response.Close();
            await test;
            Assert.StartsWith("sha256=", context.Request.Headers["X-Argus-Signature"]);
            await page.WaitForSelectorAsync("#deliveries tr[data-status='sent']");
            await ConsoleTests.Screenshot(page, "console-notifications.png");
        });
    }
}
