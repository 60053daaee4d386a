using System.Security.Cryptography;
using Argus.Core.Audit;
using Argus.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using static Argus.Data.Database;

namespace Argus.Data.Stores;

/// <summary>Where the audit chain's key and head live: beside the data, outside the database.</summary>
public sealed record AuditFiles(string KeyFile, string HeadFile)
{
    public static AuditFiles In(string directory) => new(Path.Combine(directory, "audit.key"), Path.Combine(directory, "audit.head"));

    public byte[] LoadOrCreateKey()
    {
        if (File.Exists(KeyFile)) return Convert.FromHexString(File.ReadAllText(KeyFile).Trim());
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        var key = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(KeyFile, Convert.ToHexString(key));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return key;
    }

    public AuditHead? ReadHead() => File.Exists(HeadFile) ? AuditHead.Parse(File.ReadAllText(HeadFile)) : null;

    public void WriteHead(AuditHead head)
    {
        var temp = HeadFile + ".tmp";
        File.WriteAllText(temp, head.ToString());
        File.Move(temp, HeadFile, overwrite: true);
    }
}

/// <summary>
/// The append-only audit log. Appends are serialised in-process so the chain stays linear (one writer per database;
/// a multi-node cluster needs one chain per node or a serialising writer).
/// </summary>
public sealed class AuditLog(IDbContextFactory<ArgusDb> factory, AuditFiles files, TimeProvider clock, ILogger<AuditLog> log) : IAuditLog
{
    private readonly SemaphoreSlim _writer = new(1, 1);
    private byte[]? _key;
    private (long Seq, string Hash)? _last;

    public long Failures { get; private set; }

    public async Task AppendAsync(string user, string? address, string action, string? camera, bool allowed, string? detail = null, CancellationToken ct = default)
    {
        await _writer.WaitAsync(CancellationToken.None);
        try
        {
            // Not cancellable: an action that happened is written even if the request was aborted.
            await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
            _key ??= files.LoadOrCreateKey();
            _last ??= await db.Audit.AsNoTracking().OrderByDescending(a => a.Seq).Select(a => new { a.Seq, a.Hash }).FirstOrDefaultAsync() is { } l
                ? (l.Seq, l.Hash) : (0, AuditChain.Genesis);
            var (seq, previous) = _last.Value;
            var entry = new AuditEntry(seq + 1, clock.GetUtcNow(), Truncate(user, 100)!, Truncate(address, 64), action, camera, allowed, Truncate(detail, 1000));
            var hash = AuditChain.Link(_key, previous, entry);
            db.Audit.Add(new AuditRow
            {
                Seq = entry.Seq, AtMs = ToMs(entry.At), User = entry.User, Address = entry.Address, Action = action, Camera = camera,
                Allowed = allowed, Detail = entry.Detail, PreviousHash = previous, Hash = hash,
            });
            await db.SaveChangesAsync(CancellationToken.None);
            _last = (entry.Seq, hash);
            files.WriteHead(new AuditHead(entry.Seq, hash));
        }
        catch (Exception e)
        {
            Failures++;
            _last = null; // re-read the tail next time
            log.LogError(e, "Audit entry {Action} by {User} could not be written", action, user);
        }
        finally { _writer.Release(); }
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var q = db.Audit.AsNoTracking();
        if (query.From is { } f) { var ms = ToMs(f); q = q.Where(a => a.AtMs >= ms); }
        if (query.To is { } t) { var ms = ToMs(t); q = q.Where(a => a.AtMs < ms); }
        if (query.User is not null) q = q.Where(a => a.User == query.User);
        if (query.Camera is not null) q = q.Where(a => a.Camera == query.Camera);
        if (query.Action is not null) q = q.Where(a => a.Action == query.Action);
        var rows = await q.OrderBy(a => a.Seq).Take(query.Limit).ToListAsync(ct);
        return [.. rows.Select(ToEntry)];
    }

    /// <summary>Walks the whole chain in order, a batch at a time; null when intact.</summary>
    public static async Task<(long Seq, string Why)?> VerifyAsync(IDbContextFactory<ArgusDb> factory, AuditFiles files, CancellationToken ct = default)
    {
        if (!File.Exists(files.KeyFile))
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            return await db.Audit.AnyAsync(ct) ? (1, $"the audit key {files.KeyFile} is missing") : null;
        }
        return AuditChain.Verify(files.LoadOrCreateKey(), Rows(factory, ct).ToBlockingEnumerable(ct), files.ReadHead());
    }

    private static async IAsyncEnumerable<(AuditEntry, string, string)> Rows(IDbContextFactory<ArgusDb> factory, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        long after = 0;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var batch = await db.Audit.AsNoTracking().Where(a => a.Seq > after).OrderBy(a => a.Seq).Take(5000).ToListAsync(ct);
            if (batch.Count == 0) yield break;
            foreach (var r in batch) yield return (ToEntry(r), r.PreviousHash, r.Hash);
            after = batch[^1].Seq;
        }
    }

    private static AuditEntry ToEntry(AuditRow r) => new(r.Seq, FromMs(r.AtMs), r.User, r.Address, r.Action, r.Camera, r.Allowed, r.Detail);

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
