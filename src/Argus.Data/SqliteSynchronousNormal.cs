using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Argus.Data;

/// <summary>
/// Sets <c>PRAGMA synchronous=NORMAL</c> on every SQLite connection, once per physical connection. The setting belongs
/// to a connection, not to the file (unlike WAL), so set once at start it held only for that one pooled connection:
/// the others fsynced the WAL on every commit, a segment insert per camera every 10 s. With WAL, NORMAL loses nothing
/// when the process crashes; power loss can drop the last commits, which the start-up reconcile re-indexes from disk.
/// </summary>
internal sealed class SqliteSynchronousNormal : DbConnectionInterceptor
{
    // Keyed by the native handle, which a pooled connection keeps across opens.
    private static readonly ConditionalWeakTable<object, object> Applied = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || Applied.TryGetValue(handle, out _)) return;
        using var command = sqlite.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL;";
        command.ExecuteNonQuery();
        Applied.AddOrUpdate(handle, handle);
    }
}
