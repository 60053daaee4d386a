using Argus.Core.Recording;
using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;
using static Argus.Data.Database;

namespace Argus.Data.Stores;

public sealed class EvidenceLocks(IDbContextFactory<ArgusDb> factory) : IEvidenceLocks
{
    public async Task<long> AddAsync(EvidenceLock l, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = new EvidenceLockRow
        {
            CameraId = l.CameraId, FromMs = ToMs(l.From), ToMs = ToMs(l.To), Reason = l.Reason, CreatedBy = l.CreatedBy, CreatedAtMs = ToMs(l.CreatedAt),
        };
        db.EvidenceLocks.Add(row);
        await db.SaveChangesAsync(ct);
        return row.Id;
    }

    public async Task<bool> RemoveAsync(string cameraId, long id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.EvidenceLocks.Where(l => l.Id == id && l.CameraId == cameraId).ExecuteDeleteAsync(ct) > 0;
    }

    public async Task<IReadOnlyList<EvidenceLock>> ListAsync(string? cameraId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var q = db.EvidenceLocks.AsNoTracking();
        if (cameraId is not null) q = q.Where(l => l.CameraId == cameraId);
        var rows = await q.OrderBy(l => l.FromMs).ToListAsync(ct);
        return rows.Select(r => new EvidenceLock(r.Id, r.CameraId, FromMs(r.FromMs), FromMs(r.ToMs), r.Reason, r.CreatedBy, FromMs(r.CreatedAtMs))).ToList();
    }
}
