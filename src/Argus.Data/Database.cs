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
        services.AddPooledDbContextFactory<ArgusDb>(o => o.UseSqlite(cs).AddInterceptors(new SqliteSynchronousNormal()));
        return services;
    }

    /// <summary>Creates the schema if missing and sets WAL (kept by the file) so readers never block the recorders'
    /// inserts; each connection sets synchronous=NORMAL itself (<see cref="SqliteSynchronousNormal"/>).</summary>
    public static async Task InitializeAsync(IDbContextFactory<ArgusDb> factory, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Database.EnsureCreatedAsync(ct))
        {
            await AddMissingTablesAsync(db, ct);
            await AddMissingColumnsAsync(db, ct);
        }
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }

    /// <summary>
    /// Additive upgrade of a database made by an earlier version: creates tables (and their indexes) that it lacks.
    /// Changed columns would need real migrations; until then releases only add tables.
    /// </summary>
    private static async Task AddMissingTablesAsync(ArgusDb db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return;
        var existing = await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'table'").ToListAsync(ct);
        var missing = db.Model.GetEntityTypes().Select(t => t.GetTableName()).OfType<string>().Except(existing).ToHashSet();
        if (missing.Count == 0) return;
        foreach (var statement in db.Database.GenerateCreateScript().Split(";", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (missing.Any(t => statement.Contains($"CREATE TABLE \"{t}\"", StringComparison.Ordinal) || statement.Contains($"ON \"{t}\"", StringComparison.Ordinal)))
                await db.Database.ExecuteSqlRawAsync(statement, ct);
    }

    /// <summary>
    /// Additive upgrade for columns: a property new in this release becomes a nullable column on an existing table.
    /// New columns must therefore be nullable; anything else needs a real migration.
    /// </summary>
    private static async Task AddMissingColumnsAsync(ArgusDb db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return;
        foreach (var entity in db.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is not { } table) continue;
            var columns = await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM pragma_table_info({0})", table).ToListAsync(ct);
            var store = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(table, null);
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName(store);
                if (column is null || columns.Contains(column)) continue;
                if (!property.IsNullable) throw new InvalidOperationException($"column {table}.{column} is missing and not nullable: this database needs a migration.");
                // Names come from our own model, not from input.
                var alter = $"ALTER TABLE \"{table}\" ADD COLUMN \"{column}\" {property.GetColumnType()} NULL";
                await db.Database.ExecuteSqlRawAsync(alter, ct);
            }
        }
    }

    public static long ToMs(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
