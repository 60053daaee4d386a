using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Argus.Core.Audit;

/// <summary>
/// Links each audit entry to the one before: hash = HMAC-SHA256(key, previous hash | canonical fields). Editing or
/// deleting a row breaks every later link; the key lives outside the database, so whoever can write the database
/// alone cannot forge a new chain; the head (count and last hash) kept beside the key exposes cut-off tails.
/// </summary>
public static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Link(byte[] key, string previousHash, AuditEntry e)
    {
        var canonical = string.Join('\u001f',
            previousHash,
            e.Seq.ToString(CultureInfo.InvariantCulture),
            e.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            e.User, e.Address ?? "", e.Action, e.Camera ?? "", e.Allowed ? "1" : "0", e.Detail ?? "");
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Checks entries in order; returns the first broken one's sequence number and why, or null when intact.</summary>
    public static (long Seq, string Why)? Verify(byte[] key, IEnumerable<(AuditEntry Entry, string PreviousHash, string Hash)> rows, AuditHead? head)
    {
        var expectedPrevious = Genesis;
        long expectedSeq = 1, count = 0;
        foreach (var (entry, previous, hash) in rows)
        {
            if (entry.Seq != expectedSeq) return (expectedSeq, entry.Seq > expectedSeq ? $"entry {expectedSeq} is missing" : $"entry {entry.Seq} is out of order");
            if (previous != expectedPrevious) return (entry.Seq, "its link to the previous entry does not match (an entry before it was changed or removed)");
            if (Link(key, previous, entry) != hash) return (entry.Seq, "its content does not match its hash (it was edited)");
            expectedPrevious = hash;
            expectedSeq++;
            count++;
        }
        if (head is { } h)
        {
            if (count < h.Count) return (count + 1, $"the log ends at entry {count} but {h.Count} were written (entries were removed from the end)");
            if (count == h.Count && h.Count > 0 && expectedPrevious != h.LastHash) return (count, "the last entry does not match the recorded head");
        }
        return null;
    }
}

/// <summary>How many entries were written and the last hash, kept outside the database.</summary>
public readonly record struct AuditHead(long Count, string LastHash)
{
    public override string ToString() => $"{Count.ToString(CultureInfo.InvariantCulture)} {LastHash}";

    public static AuditHead? Parse(string? text)
    {
        var parts = (text ?? "").Trim().Split(' ');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? new AuditHead(n, parts[1]) : null;
    }
}
