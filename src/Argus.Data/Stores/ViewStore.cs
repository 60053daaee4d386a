using Argus.Core.Security;
using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Argus.Data.Stores;

public sealed class ViewStore(IDbContextFactory<ArgusDb> factory) : IViewStore
{
    public async Task<string?> GetAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Views.AsNoTracking().Where(v => v.UserId == userId).Select(v => v.Json).FirstOrDefaultAsync(ct);
    }

    public async Task SetAsync(string userId, string json, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Views.FirstOrDefaultAsync(v => v.UserId == userId, ct);
        if (row is null) db.Views.Add(new ViewRow { UserId = userId, Json = json });
        else row.Json = json;
        await db.SaveChangesAsync(ct);
    }
}
