using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Argus.Data;

public static class Database
{
    /// <summary>Registers the SQLite database at <paramref name="file"/> (the embedded default).</summary>
    public static IServiceCollection AddArgusSqlite(this IServiceCollection services, string file)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30, Pooling = true }.ToString();
        services.AddPooledDbContextFactory<ArgusDb>(o => o.UseSqlite(cs));
        return services;
    }

    /// <summary>Creates the schema if missing and sets WAL so readers never block the recorders' inserts.</summary>
    public static async Task InitializeAsync(IDbContextFactory<ArgusDb> factory, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.EnsureCreatedAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL;", ct);
        }
    }

    public static long ToMs(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
