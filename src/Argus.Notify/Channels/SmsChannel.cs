using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Argus.Core.Notifications;
using Microsoft.Extensions.Options;

namespace Argus.Notify.Channels;

/// <summary>
/// Sends through the configured HTTP SMS gateway, one request per number. Numbers already served by an earlier try of
/// the same delivery are skipped on a retry, so a flaky gateway does not text anyone twice.
/// </summary>
public sealed class SmsChannel(NotifyHttp http, INotificationSettingsStore settings, IOptions<NotificationOptions> options) : INotificationChannel
{
    private readonly AlertText _text = AlertText.For(options.Value);
    private readonly ConcurrentDictionary<(long Delivery, string To), DateTimeOffset> _done = new();

    public ChannelKind Kind => ChannelKind.Sms;

    public async Task<DeliveryOutcome> SendAsync(NotificationTarget target, AlertEvent alert, long deliveryId, CancellationToken ct)
    {
        var sms = target.Sms ?? throw new ArgumentException($"target {target.Id} is not an SMS target.");
        if (await settings.GetSmsGatewayAsync(ct) is not { } gateway) return DeliveryOutcome.Fail("no SMS gateway is configured (settings/sms).");
        var text = _text.Sms(alert);
        Forget(TimeSpan.FromHours(1));
        foreach (var to in sms.To)
        {
            if (_done.ContainsKey((deliveryId, to))) continue;
            var outcome = await http.SendAsync(Request(gateway, to, text), options.Value.HttpTimeout, ct);
            if (!outcome.Sent) return outcome with { Error = $"{to}: {outcome.Error}" };
            _done[(deliveryId, to)] = DateTimeOffset.UtcNow;
        }
        return DeliveryOutcome.Ok;
    }

    public static HttpRequestMessage Request(SmsGatewaySettings gateway, string to, string text)
    {
        var url = gateway.Url.Replace("{to}", Uri.EscapeDataString(to)).Replace("{text}", Uri.EscapeDataString(text));
        var request = new HttpRequestMessage(new HttpMethod(gateway.Method), url);
        if (gateway.Method != "GET")
        {
            var body = gateway.BodyTemplate.Replace("{to}", Escape(to, gateway.ContentType)).Replace("{text}", Escape(text, gateway.ContentType));
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(gateway.ContentType);
        }
        foreach (var (name, value) in gateway.Headers)
        {
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) && request.Content is { } content)
            {
                content.Headers.Remove(name);
                content.Headers.TryAddWithoutValidation(name, value);
            }
            else request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    /// <summary>Values go into the template as the body's syntax needs them, so a text with quotes cannot break it.
    /// Relaxed JSON escaping: the body is not HTML, and gateways should see "+41...", not "\u002B41...".</summary>
    private static string Escape(string value, string contentType) =>
        contentType.Contains("json", StringComparison.OrdinalIgnoreCase) ? JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString()
        : contentType.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ? Uri.EscapeDataString(value)
        : value;

    private void Forget(TimeSpan age)
    {
        var limit = DateTimeOffset.UtcNow - age;
        foreach (var (key, at) in _done)
            if (at < limit) _done.TryRemove(key, out _);
    }
}
