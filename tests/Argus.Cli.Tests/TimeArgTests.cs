namespace Argus.Cli.Tests;

public class TimeArgTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Plus2 = TimeZoneInfo.CreateCustomTimeZone("test+2", TimeSpan.FromHours(2), "test+2", "test+2");

    [Theory]
    [InlineData("now", 0)]
    [InlineData("NOW", 0)]
    [InlineData("-1h", 3600)]
    [InlineData("-30m", 1800)]
    [InlineData("-90s", 90)]
    [InlineData("-2d", 2 * 86400)]
    [InlineData("-1w", 7 * 86400)]
    [InlineData("-1h30m", 5400)]
    [InlineData(" -15m ", 900)]
    public void Relative_times_count_back_from_now(string text, int secondsAgo) =>
        Assert.Equal(Now - TimeSpan.FromSeconds(secondsAgo), TimeArg.Parse(text, Now, Plus2));

    [Fact]
    public void Iso_with_z_is_utc() =>
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), TimeArg.Parse("2026-01-02T03:04:05Z", Now, Plus2));

    [Fact]
    public void Iso_with_offset_keeps_the_instant() =>
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 1, 4, 5, TimeSpan.Zero), TimeArg.Parse("2026-01-02T03:04:05+02:00", Now, TimeZoneInfo.Utc).ToUniversalTime());

    [Fact]
    public void Iso_without_offset_is_local_time()
    {
        var t = TimeArg.Parse("2026-01-02T03:04:05", Now, Plus2);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 1, 4, 5, TimeSpan.Zero), t.ToUniversalTime());
    }

    [Fact]
    public void Date_and_space_separated_forms_are_accepted()
    {
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 22, 0, 0, TimeSpan.Zero), TimeArg.Parse("2026-01-02", Now, Plus2).ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 8, 30, 0, TimeSpan.Zero), TimeArg.Parse("2026-01-02 10:30", Now, Plus2).ToUniversalTime());
    }

    [Fact]
    public void Today_and_yesterday_are_local_midnights()
    {
        // 12:00Z is 14:00 at +2, so today began at 22:00Z the day before.
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 22, 0, 0, TimeSpan.Zero), TimeArg.Parse("today", Now, Plus2).ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 22, 0, 0, TimeSpan.Zero), TimeArg.Parse("yesterday", Now, Plus2).ToUniversalTime());
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-1x")]
    [InlineData("-h")]
    [InlineData("1h")]
    [InlineData("+1h")]
    [InlineData("2026-13-01")]
    [InlineData("-99999999999999w")]
    public void Nonsense_is_rejected_with_a_message(string text)
    {
        Assert.False(TimeArg.TryParse(text, Now, Plus2, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void A_bare_duration_suggests_the_minus()
    {
        TimeArg.TryParse("1h", Now, Plus2, out _, out var error);
        Assert.Contains("-1h", error);
    }

    [Fact]
    public void Query_form_is_utc_iso_with_z()
    {
        Assert.Equal("2026-01-02T01:04:05Z", TimeArg.ToQuery(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2))));
        Assert.Equal("2026-01-02T01:04:05.25Z", TimeArg.ToQuery(new DateTimeOffset(2026, 1, 2, 1, 4, 5, 250, TimeSpan.Zero)));
    }
}
