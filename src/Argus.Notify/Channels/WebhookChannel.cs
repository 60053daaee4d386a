using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Argus.Core.Notifications;
using Microsoft.Extensions.Options;

namespace Argus.Notify.Channels;

/// <summary>
/// POSTs the alert's JSON. <c>X-Argus-Signature: sha256=&lt;hex HMAC-SHA256 of the body bytes with the target's
/// secret&gt;</c> lets the receiver check origin and integrity; <c>X-Argus-Delivery</c> stays the same across retries.
/// </summary>
public sealed class WebhookChannel(NotifyHttp http, IOptions<NotificationOptions> options) : INotificationChannel
{
    public const string SignatureHeader = "X-Argus-Signature";
    public const string EventHeader = "X-Argus-Event";
    public const string DeliveryHeader = "X-Argus-Delivery";

    public ChannelKind Kind => ChannelKind.Webhook;

    public static string Sign(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public Task<DeliveryOutcome> SendAsync(NotificationTarget target, AlertEvent alert, long deliveryId, CancellationToken ct)
    {
        var hook = target.Webhook ?? throw new ArgumentException($"target {target.Id} is not a webhook.");
        var body = AlertJson.Serialize(alert);
        var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(SignatureHeader, Sign(body, hook.Secret));
        request.Headers.Add(EventHeader, alert.Type);
        request.Headers.Add(DeliveryHeader, deliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.UserAgent.ParseAdd("Argus-Webhook/1");
        return SendAndDisposeAsync(request, ct);
    }

    private async Task<DeliveryOutcome> SendAndDisposeAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using (request) return await http.SendAsync(request, options.Value.HttpTimeout, ct);
    }
}
