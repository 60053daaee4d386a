using Argus.Data;
using Argus.Data.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Argus.Server.Hosting;

/// <summary><c>argus audit verify [--data DIR]</c>: walks the audit chain offline; exit 0 intact, 1 broken, 2 usage.</summary>
public static class AuditCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] != "verify")
        {
            Console.Error.WriteLine("usage: argus audit verify [--data DIR]");
            return 2;
        }
        var data = "data";
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--data" && i + 1 < args.Length) data = args[++i];
            else if (args[i].StartsWith("--data=", StringComparison.Ordinal)) data = args[i]["--data=".Length..];
            else { Console.Error.WriteLine($"unknown option '{args[i]}'; usage: argus audit verify [--data DIR]"); return 2; }
        }
        var paths = new ArgusPaths(data);
        if (!File.Exists(paths.Database))
        {
            Console.Error.WriteLine($"no Argus database at {paths.Database}");
            return 2;
        }
        var options = new DbContextOptionsBuilder<ArgusDb>().UseSqlite($"Data Source={paths.Database};Mode=ReadOnly").Options;
        var factory = new PooledDbContextFactory<ArgusDb>(options);
        await using (var db = await factory.CreateDbContextAsync())
        {
            var count = await db.Audit.LongCountAsync();
            var broken = await AuditLog.VerifyAsync(factory, AuditFiles.In(paths.Keys));
            if (broken is { } b)
            {
                Console.Error.WriteLine($"audit log BROKEN at entry {b.Seq}: {b.Why}");
                return 1;
            }
            Console.WriteLine($"audit log intact: {count} entries");
            return 0;
        }
    }
}
