using Argus.Core.Audit;

namespace Argus.Core.Tests.Audit;

public sealed class AuditChainTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    private static List<(AuditEntry Entry, string PreviousHash, string Hash)> Chain(int n)
    {
        var rows = new List<(AuditEntry, string, string)>();
        var previous = AuditChain.Genesis;
        for (var i = 1; i <= n; i++)
        {
            var e = new AuditEntry(i, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + i), "u" + i, "10.0.0.1", "login", null, true, null);
            var hash = AuditChain.Link(Key, previous, e);
            rows.Add((e, previous, hash));
            previous = hash;
        }
        return rows;
    }

    [Fact]
    public void An_intact_chain_verifies_with_its_head()
    {
        var rows = Chain(5);
        Assert.Null(AuditChain.Verify(Key, rows, new AuditHead(5, rows[^1].Hash)));
    }

    [Fact]
    public void An_edited_field_is_found_at_its_entry()
    {
        var rows = Chain(5);
        rows[2] = (rows[2].Entry with { Allowed = false }, rows[2].PreviousHash, rows[2].Hash);
        Assert.Equal(3, AuditChain.Verify(Key, rows, null)!.Value.Seq);
    }

    [Fact]
    public void A_deleted_entry_is_found()
    {
        var rows = Chain(5);
        rows.RemoveAt(1);
        Assert.Equal(2, AuditChain.Verify(Key, rows, null)!.Value.Seq);
    }

    [Fact]
    public void A_forged_chain_without_the_key_fails()
    {
        var rows = Chain(3);
        var forgedKey = new byte[32];
        var e = rows[1].Entry with { User = "someone-else" };
        rows[1] = (e, rows[1].PreviousHash, AuditChain.Link(forgedKey, rows[1].PreviousHash, e));
        Assert.Equal(2, AuditChain.Verify(Key, rows, null)!.Value.Seq);
    }

    [Fact]
    public void A_cut_off_tail_is_found_through_the_head()
    {
        var rows = Chain(5);
        var head = new AuditHead(5, rows[^1].Hash);
        rows.RemoveRange(3, 2);
        var broken = AuditChain.Verify(Key, rows, head);
        Assert.NotNull(broken);
        Assert.Contains("removed from the end", broken!.Value.Why);
    }
}
