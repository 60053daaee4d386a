using System.Text.Json;
using Argus.Core.Alarms;
using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;
using static Argus.Data.Database;

namespace Argus.Data.Stores;

public sealed class RuleStore(IDbContextFactory<ArgusDb> factory) : IRuleStore
{
    public async Task<IReadOnlyList<AlarmRule>> ListAsync(string? cameraId = null, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var q = db.Rules.AsNoTracking();
        if (cameraId is not null) q = q.Where(r => r.CameraId == cameraId);
        return (await q.OrderBy(r => r.Name).ToListAsync(ct)).Select(ToRule).ToList();
    }

    public async Task<AlarmRule?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Rules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        return row is null ? null : ToRule(row);
    }

    public async Task AddAsync(AlarmRule rule, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.Rules.Add(ToRow(rule));
        await db.SaveChangesAsync(ct);
    }

    public async Task<bool> UpdateAsync(AlarmRule rule, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Rules.FirstOrDefaultAsync(r => r.Id == rule.Id, ct);
        if (row is null) return false;
        db.Entry(row).CurrentValues.SetValues(ToRow(rule));
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Rules.Where(r => r.Id == id).ExecuteDeleteAsync(ct) > 0;
    }

    private static RuleRow ToRow(AlarmRule r) => new()
    {
        Id = r.Id, CameraId = r.CameraId, Name = r.Name, Zones = JsonSerializer.Serialize(r.Zones),
        MinDurationMs = (long)r.MinDuration.TotalMilliseconds, MinCoverage = r.MinCoverage, WhenArmed = r.WhenArmed, Enabled = r.Enabled,
    };

    private static AlarmRule ToRule(RuleRow r) => new()
    {
        Id = r.Id, CameraId = r.CameraId, Name = r.Name, Zones = JsonSerializer.Deserialize<string[]>(r.Zones) ?? [],
        MinDuration = TimeSpan.FromMilliseconds(r.MinDurationMs), MinCoverage = r.MinCoverage, WhenArmed = r.WhenArmed, Enabled = r.Enabled,
    };
}

public sealed class TimeProfileStore(IDbContextFactory<ArgusDb> factory) : ITimeProfileStore
{
    public async Task<IReadOnlyList<TimeProfile>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return (await db.TimeProfiles.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct)).Select(ToProfile).ToList();
    }

    public async Task<TimeProfile?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.TimeProfiles.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return row is null ? null : ToProfile(row);
    }

    public async Task AddAsync(TimeProfile profile, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.TimeProfiles.Add(ToRow(profile));
        await db.SaveChangesAsync(ct);
    }

    public async Task<bool> UpdateAsync(TimeProfile profile, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.TimeProfiles.FirstOrDefaultAsync(p => p.Id == profile.Id, ct);
        if (row is null) return false;
        db.Entry(row).CurrentValues.SetValues(ToRow(profile));
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.TimeProfiles.Where(p => p.Id == id).ExecuteDeleteAsync(ct) > 0;
    }

    private static TimeProfileRow ToRow(TimeProfile p) => new() { Id = p.Id, Name = p.Name, TimeZone = p.Zone.Id, Windows = p.Text };

    private static TimeProfile ToProfile(TimeProfileRow r) =>
        new(r.Id, r.Name, TimeZoneInfo.FindSystemTimeZoneById(r.TimeZone), TimeProfile.ParseWindows(r.Windows, r.TimeZone));
}

public sealed class ArmingStore(IDbContextFactory<ArgusDb> factory) : IArmingStore
{
    public async Task<CameraArming> GetAsync(string cameraId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Arming.AsNoTracking().FirstOrDefaultAsync(a => a.CameraId == cameraId, ct);
        return row is null ? CameraArming.Default(cameraId) : ToArming(row);
    }

    public async Task<IReadOnlyList<CameraArming>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return (await db.Arming.AsNoTracking().ToListAsync(ct)).Select(ToArming).ToList();
    }

    public async Task SetAsync(CameraArming arming, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Arming.FirstOrDefaultAsync(a => a.CameraId == arming.CameraId, ct);
        var next = new ArmingRow
        {
            CameraId = arming.CameraId, Mode = CameraArming.ModeName(arming.Mode), ProfileId = arming.ProfileId,
            ChangedAtMs = ToMs(arming.ChangedAt), ChangedBy = arming.ChangedBy,
        };
        if (row is null) db.Arming.Add(next);
        else db.Entry(row).CurrentValues.SetValues(next);
        await db.SaveChangesAsync(ct);
    }

    private static CameraArming ToArming(ArmingRow r) =>
        new(r.CameraId, CameraArming.ParseMode(r.Mode), r.ProfileId, FromMs(r.ChangedAtMs), r.ChangedBy);
}
