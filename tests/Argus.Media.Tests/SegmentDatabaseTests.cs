using Argus.Data;
using Microsoft.EntityFrameworkCore;

namespace Argus.Media.Tests;

public class SegmentDatabaseTests
{
    [Fact]
    public async Task Every_pooled_connection_commits_without_an_fsync_each_time()
    {
        await using var rig = await StorageRig.CreateAsync();
        // Three contexts open at once hold three physical connections, not only the one set up at start.
        var contexts = new List<ArgusDb>();
        for (var i = 0; i < 3; i++)
        {
            var db = await rig.Db.CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            contexts.Add(db);
        }
        foreach (var db in contexts)
        {
            // 1 = NORMAL; SQLite's default, 2 = FULL, fsyncs the WAL on every commit.
            Assert.Equal(1L, (await db.Database.SqlQueryRaw<long>("SELECT synchronous AS Value FROM pragma_synchronous").ToListAsync()).Single());
            Assert.Equal("wal", (await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode").ToListAsync()).Single());
        }
        foreach (var db in contexts) await db.DisposeAsync();
    }
}
