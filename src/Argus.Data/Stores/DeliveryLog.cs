using Argus.Core.Notifications;
using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Argus.Data.Stores;

public sealed class DeliveryLog(IDbContextFactory<ArgusDb> factory) : IDeliveryLog
{
    private const int MaxErrorLength = 1000;

    public async Task<long> AddAsync(DeliveryRecord r, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = new DeliveryRow
        {
            TargetId = r.TargetId,
            TargetName = r.TargetName,
            Kind = r.Kind.ToString(),
            EventId = r.EventId,
            EventType = r.EventType,
            State = r.State,
            QueuedMs = Database.ToMs(r.Queued),
            Status = r.Status,
        };
        Apply(row, r);
        db.Deliveries.Add(row);
        await db.SaveChangesAsync(ct);
        return row.Id;
    }

    public async Task UpdateAsync(DeliveryRecord r, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Deliveries.FirstOrDefaultAsync(d => d.Id == r.Id, ct) ?? throw new KeyNotFoundException($"no delivery {r.Id}.");
        Apply(row, r);
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<DeliveryRecord>> QueryAsync(DeliveryQuery q, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = db.Deliveries.AsNoTracking();
        if (q.TargetId is { } target) rows = rows.Where(d => d.TargetId == target);
        if (q.Status is { } status) rows = rows.Where(d => d.Status == status);
        if (q.From is { } from) { var ms = Database.ToMs(from); rows = rows.Where(d => d.QueuedMs >= ms); }
        if (q.To is { } to) { var ms = Database.ToMs(to); rows = rows.Where(d => d.QueuedMs < ms); }
        var list = await rows.OrderByDescending(d => d.QueuedMs).ThenByDescending(d => d.Id).Take(Math.Clamp(q.Limit, 1, 10000)).ToListAsync(ct);
        return list.Select(ToRecord).ToList();
    }

    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var ms = Database.ToMs(before);
        return await db.Deliveries.Where(d => d.QueuedMs < ms).ExecuteDeleteAsync(ct);
    }

    private static void Apply(DeliveryRow row, DeliveryRecord r)
    {
        row.Status = r.Status;
        row.Attempts = r.Attempts;
        row.SentMs = r.Sent is { } sent ? Database.ToMs(sent) : null;
        row.Error = r.Error is { Length: > MaxErrorLength } e ? e[..MaxErrorLength] : r.Error;
        row.LatencyMs = r.LatencyMs;
    }

    private static DeliveryRecord ToRecord(DeliveryRow d) => new(d.Id, d.TargetId, d.TargetName, Enum.Parse<ChannelKind>(d.Kind), d.EventId,
        d.EventType, d.State, Database.FromMs(d.QueuedMs), d.SentMs is { } s ? Database.FromMs(s) : null, d.Attempts, d.Status, d.Error, d.LatencyMs);
}
