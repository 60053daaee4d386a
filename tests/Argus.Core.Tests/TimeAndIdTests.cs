using Argus.Core.Cameras;
using Argus.Core.Security;
using Argus.Core.Time;

namespace Argus.Core.Tests;

public class TimeAndIdTests
{
    [Fact]
    public void Time_range_parses_iso_and_rejects_reversed()
    {
        Assert.True(TimeRange.TryParse("2026-01-01T00:00:00Z", "2026-01-01T01:10:00+01:00", out var r, out _));
        Assert.Equal(TimeSpan.FromMinutes(10), r.Duration);
        // 00:10+01:00 is 23:10Z the day before: reversed once offsets are applied
        Assert.False(TimeRange.TryParse("2026-01-01T00:00:00Z", "2026-01-01T00:10:00+01:00", out _, out _));
        Assert.False(TimeRange.TryParse("2026-01-01T00:10:00Z", "2026-01-01T00:00:00Z", out _, out var err));
        Assert.Contains("after", err);
        Assert.False(TimeRange.TryParse("yesterday", "2026-01-01T00:00:00Z", out _, out err));
        Assert.Contains("from", err);
        Assert.False(TimeRange.TryParse(null, null, out _, out _));
    }

    [Fact]
    public void Overlap_is_half_open()
    {
        var t0 = DateTimeOffset.UnixEpoch;
        var a = new TimeRange(t0, t0.AddSeconds(10));
        Assert.True(a.Overlaps(new TimeRange(t0.AddSeconds(9), t0.AddSeconds(20))));
        Assert.False(a.Overlaps(new TimeRange(t0.AddSeconds(10), t0.AddSeconds(20))));
    }

    [Theory]
    [InlineData("../etc", false)]
    [InlineData("..%2f..", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    [InlineData("ABC", false)]
    [InlineData("0a1b2c3d4e5f", true)]
    public void Camera_ids_are_path_safe(string id, bool valid) => Assert.Equal(valid, CameraId.IsValid(id));

    [Fact]
    public void New_ids_are_valid_and_distinct()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => CameraId.New()).ToHashSet();
        Assert.Equal(1000, ids.Count);
        Assert.All(ids, id => Assert.True(CameraId.IsValid(id)));
    }

    [Fact]
    public void Names_reject_control_characters_and_empty()
    {
        Assert.Equal("Gate 1", CameraNames.Validate("  Gate 1 "));
        Assert.Throws<ArgumentException>(() => CameraNames.Validate(" "));
        Assert.Throws<ArgumentException>(() => CameraNames.Validate("a\u0000b"));
        Assert.Throws<ArgumentException>(() => CameraNames.Validate(new string('x', 101)));
    }

    [Fact]
    public void Password_hash_verifies_only_the_right_password_and_is_salted()
    {
        var h1 = PasswordHasher.Hash("correct horse", iterations: 1000);
        var h2 = PasswordHasher.Hash("correct horse", iterations: 1000);
        Assert.NotEqual(h1, h2);
        Assert.True(PasswordHasher.Verify("correct horse", h1));
        Assert.False(PasswordHasher.Verify("correct hors", h1));
        Assert.False(PasswordHasher.Verify("x", "garbage"));
        Assert.StartsWith("pbkdf2-sha256$310000$", PasswordHasher.Hash("x"));
    }
}
