using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Argus.Data.Stores;

/// <summary>A row of a camera's own configuration (zones, lines, object rules): found by camera and id together.</summary>
public interface ICameraScopedRow
{
    string Id { get; }
    string CameraId { get; }
}

/// <summary>
/// The store every per-camera configuration has: list, get, add, change and remove rows of one camera. An id of
/// another camera is simply not found, so a URL cannot reach a row through the wrong camera.
/// </summary>
public abstract class CameraScopedStore<TRow, T>(IDbContextFactory<ArgusDb> factory)
    where TRow : class, ICameraScopedRow
    where T : class
{
    protected abstract TRow ToRow(T item);
    protected abstract T FromRow(TRow row);
    protected abstract IQueryable<TRow> Ordered(IQueryable<TRow> rows);

    public async Task<IReadOnlyList<T>> ListAsync(string cameraId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await Ordered(db.Set<TRow>().AsNoTracking().Where(r => r.CameraId == cameraId)).ToListAsync(ct);
        return rows.Select(FromRow).ToList();
    }

    public async Task<T?> GetAsync(string cameraId, string id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Set<TRow>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.CameraId == cameraId, ct);
        return row is null ? null : FromRow(row);
    }

    public async Task AddAsync(T item, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.Set<TRow>().Add(ToRow(item));
        await db.SaveChangesAsync(ct);
    }

    public async Task<bool> UpdateAsync(T item, CancellationToken ct = default)
    {
        var changed = ToRow(item);
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Set<TRow>().FirstOrDefaultAsync(r => r.Id == changed.Id && r.CameraId == changed.CameraId, ct);
        if (row is null) return false;
        db.Entry(row).CurrentValues.SetValues(changed);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<bool> DeleteAsync(string cameraId, string id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Set<TRow>().Where(r => r.Id == id && r.CameraId == cameraId).ExecuteDeleteAsync(ct) > 0;
    }
}
