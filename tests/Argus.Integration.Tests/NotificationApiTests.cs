using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Argus.Integration.Tests.Infrastructure;

namespace Argus.Integration.Tests;

/// <summary>The notification API of the real server: the webhook contract, write-only secrets, test sends and the delivery log.</summary>
public sealed class NotificationApiTests
{
    [Fact]
    public async Task A_webhook_added_through_the_api_gets_a_signed_test_delivery_and_its_secret_is_never_returned()
    {
        await using var server = await ArgusServer.StartAsync();
        using var listener = new HttpListener();
        var port = Ports.Free();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        const string secret = "integration-hook-secret-1";

        var bad = await server.Client.PostAsJsonAsync("/api/notifications/webhooks", new { url = $"http://127.0.0.1:{port}/hook", events = new[] { "motion" }, secret = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("at least 16 characters", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Anonymous.GetAsync("/api/notifications/webhooks")).StatusCode);
        // Operators run cameras but do not configure where alerts (and their secrets) go.
        Assert.Equal(HttpStatusCode.Created, (await server.Client.PostAsJsonAsync("/api/users", new { name = "op", password = "operator-password-123", role = "operator" })).StatusCode);
        var login = await server.Anonymous.PostAsJsonAsync("/api/auth/token", new { user = "op", password = "operator-password-123" });
        using var op = new HttpClient { BaseAddress = server.BaseAddress };
        op.DefaultRequestHeaders.Authorization = new("Bearer", (await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("/api/notifications/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync("/api/notifications/webhooks", new { url = "https://example.org", secret = "0123456789abcdef" })).StatusCode);

        var created = await server.Client.PostAsJsonAsync("/api/notifications/webhooks", new { url = $"http://127.0.0.1:{port}/hook", events = new[] { "motion", "alarm" }, secret });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var hook = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = hook["id"]!.GetValue<string>();
        Assert.True(hook["hasSecret"]!.GetValue<bool>());
        var listed = await server.Client.GetStringAsync("/api/notifications/webhooks");
        Assert.Contains(id, listed);
        Assert.DoesNotContain(secret, listed);

        var receive = listener.GetContextAsync();
        var test = server.Client.PostAsync($"/api/notifications/targets/{id}/test", null);
        var context = await receive.WaitAsync(TimeSpan.FromSeconds(30));
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        context.Response.StatusCode = 204;
        context.Response.Close();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body.ToArray()));
        Assert.Equal(expected, context.Request.Headers["X-Argus-Signature"]);
        Assert.Equal("test", context.Request.Headers["X-Argus-Event"]);

        var record = (await (await test).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("sent", record["status"]!.GetValue<string>());
        var log = (await server.Client.GetFromJsonAsync<JsonArray>($"/api/notifications/deliveries?target={id}"))!;
        Assert.Equal("sent", Assert.Single(log)!["status"]!.GetValue<string>());
        Assert.Equal(record["id"]!.GetValue<long>().ToString(), context.Request.Headers["X-Argus-Delivery"]);

        var smtp = await server.Client.PutAsJsonAsync("/api/notifications/settings/smtp",
            new { host = "127.0.0.1", port = 2525, security = "none", user = "argus", password = "smtp-password-42", from = "argus@example.org" });
        Assert.Equal(HttpStatusCode.OK, smtp.StatusCode);
        var smtpRead = await server.Client.GetStringAsync("/api/notifications/settings/smtp");
        Assert.Contains("\"hasPassword\":true", smtpRead);
        Assert.DoesNotContain("smtp-password-42", smtpRead);

        Assert.Contains("/api/notifications/webhooks", await server.Anonymous.GetStringAsync("/openapi/v1.json"));
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync($"/api/notifications/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/api/notifications/webhooks/{id}")).StatusCode);
    }
}
