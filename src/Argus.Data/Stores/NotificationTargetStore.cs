using System.Text.Json;
using Argus.Core.Cameras;
using Argus.Core.Notifications;
using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Argus.Data.Stores;

/// <summary>Notification targets; the webhook secret is encrypted with <see cref="ISecretProtector"/>.</summary>
public sealed class NotificationTargetStore(IDbContextFactory<ArgusDb> factory, ISecretProtector secrets) : INotificationTargetStore
{
    // Everything but the secret, so the JSON column can be read (and shown) without decrypting anything.
    private sealed record Body(string[] Events, string[] Cameras, string[] Rules, int MaxPerMinute, double DedupSeconds, string? Url, string[]? To);

    public async Task<IReadOnlyList<NotificationTarget>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.NotificationTargets.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);
        return rows.Select(ToTarget).ToList();
    }

    public async Task<NotificationTarget?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.NotificationTargets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        return row is null ? null : ToTarget(row);
    }

    public async Task AddAsync(NotificationTarget target, CancellationToken ct = default)
    {
        target.Validate();
        await using var db = await factory.CreateDbContextAsync(ct);
        db.NotificationTargets.Add(ToRow(target));
        await db.SaveChangesAsync(ct);
    }

    public async Task<bool> UpdateAsync(NotificationTarget target, CancellationToken ct = default)
    {
        target.Validate();
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.NotificationTargets.FirstOrDefaultAsync(t => t.Id == target.Id, ct);
        if (row is null) return false;
        db.Entry(row).CurrentValues.SetValues(ToRow(target));
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.NotificationTargets.Where(t => t.Id == id).ExecuteDeleteAsync(ct) > 0;
    }

    private NotificationTargetRow ToRow(NotificationTarget t) => new()
    {
        Id = t.Id,
        Kind = t.Kind.ToString(),
        Name = t.Name,
        Enabled = t.Enabled,
        CreatedAtMs = Database.ToMs(t.CreatedAt),
        Secret = t.Webhook is { } w ? secrets.Protect(w.Secret) : null,
        Json = JsonSerializer.Serialize(new Body([.. t.Events], [.. t.Cameras], [.. t.Rules], t.MaxPerMinute, t.DedupWindow.TotalSeconds,
            t.Webhook?.Url, t.Email is { } e ? [.. e.To] : t.Sms is { } s ? [.. s.To] : null)),
    };

    private NotificationTarget ToTarget(NotificationTargetRow r)
    {
        var kind = Enum.Parse<ChannelKind>(r.Kind);
        var b = JsonSerializer.Deserialize<Body>(r.Json) ?? throw new InvalidDataException($"notification target {r.Id} has no settings.");
        return new NotificationTarget
        {
            Id = r.Id,
            Kind = kind,
            Name = r.Name,
            Enabled = r.Enabled,
            CreatedAt = Database.FromMs(r.CreatedAtMs),
            Events = b.Events,
            Cameras = b.Cameras,
            Rules = b.Rules,
            MaxPerMinute = b.MaxPerMinute,
            DedupWindow = TimeSpan.FromSeconds(b.DedupSeconds),
            Webhook = kind == ChannelKind.Webhook ? new WebhookTarget(b.Url ?? "", r.Secret is null ? "" : secrets.Unprotect(r.Secret)) : null,
            Email = kind == ChannelKind.Email ? new EmailTarget(b.To ?? []) : null,
            Sms = kind == ChannelKind.Sms ? new SmsTarget(b.To ?? []) : null,
        };
    }
}
