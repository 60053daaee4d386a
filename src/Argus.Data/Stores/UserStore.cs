using Argus.Core.Security;
using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;
using static Argus.Data.Database;

namespace Argus.Data.Stores;

public sealed class UserStore(IDbContextFactory<ArgusDb> factory) : IUserStore
{
    public async Task<int> CountAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Users.CountAsync(ct);
    }

    public async Task<User> AddAsync(string name, string passwordHash, string role, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = new UserRow { Id = Guid.NewGuid().ToString("N")[..12], Name = name, PasswordHash = passwordHash, Role = role, CreatedAtMs = ToMs(DateTimeOffset.UtcNow) };
        db.Users.Add(row);
        await db.SaveChangesAsync(ct);
        return ToUser(row);
    }

    public async Task<(User User, string PasswordHash)?> FindByNameAsync(string name, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Name == name, ct);
        return row is null ? null : (ToUser(row), row.PasswordHash);
    }

    public async Task<User?> FindByTokenAsync(string tokenHash, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var ms = ToMs(now);
        var row = await (from t in db.Tokens
                         join u in db.Users on t.UserId equals u.Id
                         where t.Hash == tokenHash && t.ExpiresAtMs > ms
                         select u).AsNoTracking().FirstOrDefaultAsync(ct);
        return row is null ? null : ToUser(row);
    }

    public async Task AddTokenAsync(string tokenHash, string userId, DateTimeOffset now, DateTimeOffset expires, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.Tokens.Add(new TokenRow { Hash = tokenHash, UserId = userId, CreatedAtMs = ToMs(now), ExpiresAtMs = ToMs(expires) });
        await db.SaveChangesAsync(ct);
    }

    public async Task<int> PurgeExpiredTokensAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var ms = ToMs(now);
        return await db.Tokens.Where(t => t.ExpiresAtMs <= ms).ExecuteDeleteAsync(ct);
    }

    private static User ToUser(UserRow r) => new(r.Id, r.Name, r.Role, FromMs(r.CreatedAtMs));
}
