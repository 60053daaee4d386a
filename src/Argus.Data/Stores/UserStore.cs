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

    public async Task DeleteTokenAsync(string tokenHash, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Tokens.Where(t => t.Hash == tokenHash).ExecuteDeleteAsync(ct);
    }

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.Users.AsNoTracking().OrderBy(u => u.Name).ToListAsync(ct);
        return [.. rows.Select(ToUser)];
    }

    public async Task<User?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        return row is null ? null : ToUser(row);
    }

    public async Task<User?> UpdateAsync(string id, string? role, string? passwordHash, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (row is null) return null;
        if (role is not null) row.Role = role;
        if (passwordHash is not null) row.PasswordHash = passwordHash;
        await db.SaveChangesAsync(ct);
        if (passwordHash is not null || role is not null) await db.Tokens.Where(t => t.UserId == id).ExecuteDeleteAsync(ct);
        return ToUser(row);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Tokens.Where(t => t.UserId == id).ExecuteDeleteAsync(ct);
        await db.Grants.Where(g => g.UserId == id).ExecuteDeleteAsync(ct);
        var removed = await db.Users.Where(u => u.Id == id).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return removed > 0;
    }

    private static User ToUser(UserRow r) => new(r.Id, r.Name, r.Role, FromMs(r.CreatedAtMs));
}
