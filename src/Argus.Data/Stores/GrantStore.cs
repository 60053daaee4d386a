using System.Text.Json;
using Argus.Core.Security;
using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Argus.Data.Stores;

public sealed class GrantStore(IDbContextFactory<ArgusDb> factory) : IGrantStore
{
    private sealed record ScheduleJson(string[] Days, string From, string To, string TimeZone);

    public async Task<IReadOnlyList<CameraGrant>> ForUserAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.Grants.AsNoTracking().Where(g => g.UserId == userId).OrderBy(g => g.Id).ToListAsync(ct);
        return [.. rows.Select(ToGrant)];
    }

    public async Task ReplaceAsync(string userId, IReadOnlyList<CameraGrant> grants, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Grants.Where(g => g.UserId == userId).ExecuteDeleteAsync(ct);
        db.Grants.AddRange(grants.Select(g => new GrantRow
        {
            UserId = userId,
            CameraId = g.CameraId,
            Rights = (int)g.Rights,
            Schedule = g.Schedule is { } s ? JsonSerializer.Serialize(new ScheduleJson([.. s.DayCodes], s.FromText, s.ToText, s.Zone.Id)) : null,
        }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static CameraGrant ToGrant(GrantRow r)
    {
        AccessSchedule? schedule = null;
        if (r.Schedule is { } json && JsonSerializer.Deserialize<ScheduleJson>(json) is { } s)
            schedule = AccessSchedule.Parse(s.Days, s.From, s.To, s.TimeZone);
        return new CameraGrant(r.CameraId, (CameraRights)r.Rights, schedule);
    }
}
