using System.Text.Json;
using Argus.Core.Cameras;
using Argus.Core.Notifications;
using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Argus.Data.Stores;

/// <summary>Channel settings, a row per channel; passwords and the SMS gateway's headers are encrypted apart from the JSON.</summary>
public sealed class NotificationSettingsStore(IDbContextFactory<ArgusDb> factory, ISecretProtector secrets) : INotificationSettingsStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<SmtpSettings?> GetSmtpAsync(CancellationToken ct = default) =>
        GetAsync<SmtpSettings>("smtp", (s, secret) => s with { Password = secret }, ct);

    public Task SaveSmtpAsync(SmtpSettings? settings, CancellationToken ct = default) =>
        SaveAsync("smtp", settings, s => (s with { Password = null }, s.Password), ct);

    public Task<MqttSettings?> GetMqttAsync(CancellationToken ct = default) =>
        GetAsync<MqttSettings>("mqtt", (s, secret) => s with { Password = secret }, ct);

    public Task SaveMqttAsync(MqttSettings? settings, CancellationToken ct = default) =>
        SaveAsync("mqtt", settings, s => (s with { Password = null }, s.Password), ct);

    public Task<SmsGatewaySettings?> GetSmsGatewayAsync(CancellationToken ct = default) =>
        GetAsync<SmsGatewaySettings>("sms", (s, secret) => s with { Headers = secret is null ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(secret)! }, ct);

    public Task SaveSmsGatewayAsync(SmsGatewaySettings? settings, CancellationToken ct = default) =>
        SaveAsync("sms", settings, s => (s with { Headers = new Dictionary<string, string>() }, s.Headers.Count == 0 ? null : JsonSerializer.Serialize(s.Headers)), ct);

    private async Task<T?> GetAsync<T>(string channel, Func<T, string?, T> withSecret, CancellationToken ct) where T : class
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.NotificationSettings.AsNoTracking().FirstOrDefaultAsync(r => r.Channel == channel, ct);
        if (row is null) return null;
        var settings = JsonSerializer.Deserialize<T>(row.Json, Json) ?? throw new InvalidDataException($"{channel} settings are empty.");
        return withSecret(settings, row.Secret is null ? null : secrets.Unprotect(row.Secret));
    }

    /// <param name="split">the settings without their secret, and the secret.</param>
    private async Task SaveAsync<T>(string channel, T? settings, Func<T, (T Public, string? Secret)> split, CancellationToken ct) where T : class
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.NotificationSettings.Where(r => r.Channel == channel).ExecuteDeleteAsync(ct);
        if (settings is not null)
        {
            var (open, secret) = split(settings);
            db.NotificationSettings.Add(new NotificationSettingRow
            {
                Channel = channel,
                Json = JsonSerializer.Serialize(open, Json),
                Secret = secret is null ? null : secrets.Protect(secret),
            });
            await db.SaveChangesAsync(ct);
        }
    }
}
