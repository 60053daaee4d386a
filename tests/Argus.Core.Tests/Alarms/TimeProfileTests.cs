using Argus.Core.Alarms;

namespace Argus.Core.Tests.Alarms;

public class TimeProfileTests
{
    private static TimeProfile Closed(string text = "mon-sat 22:00-07:00; sun all day", string zone = "Europe/Paris")
    {
        var windows = TimeProfile.ParseWindows(text, zone);
        return new TimeProfile("p", "Closed", windows[0].Zone, windows);
    }

    // 2026-11-23 is a Monday. Paris is UTC+1 in November.
    [Theory]
    [InlineData("2026-11-23T21:30:00Z", true)]  // Mon 22:30 Paris
    [InlineData("2026-11-23T20:30:00Z", false)] // Mon 21:30
    [InlineData("2026-11-24T05:30:00Z", true)]  // Tue 06:30, the tail of Monday night
    [InlineData("2026-11-24T06:30:00Z", false)] // Tue 07:30
    [InlineData("2026-11-29T12:00:00Z", true)]  // Sun noon: all day
    [InlineData("2026-11-30T05:00:00Z", false)] // Mon 06:00: Sunday ended at midnight, no Sunday-night window
    [InlineData("2026-11-28T23:30:00Z", true)]  // Sun 00:30 (Saturday night and Sunday all day)
    public void The_shop_is_closed_at_night_and_all_Sunday(string utc, bool active) =>
        Assert.Equal(active, Closed().IsActive(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Text_round_trips()
    {
        var p = Closed("mon-fri 9:00-17:30; sat,sun all day");
        Assert.Equal("mon,tue,wed,thu,fri 09:00-17:30; sat,sun 00:00-24:00", p.Text);
        Assert.Equal(p.Text, Closed(p.Text).Text);
    }

    [Fact]
    public void Day_ranges_wrap_over_the_week() =>
        Assert.Equal("mon,fri,sat,sun 08:00-09:00", Closed("fri-mon 08:00-09:00").Text);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("closed at night", "does not parse")]
    [InlineData("mon 25:00-07:00", "HH:mm")]
    [InlineData("funday 22:00-07:00", "not a day")]
    [InlineData("mon 22:00-22:00", "differ")]
    public void A_schedule_that_does_not_parse_says_why(string text, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => TimeProfile.ParseWindows(text, "UTC"));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void An_unknown_time_zone_is_refused() =>
        Assert.Contains("time zone", Assert.Throws<ArgumentException>(() => TimeProfile.ParseWindows("mon 22:00-07:00", "Mars/Olympus")).Message);

    [Fact]
    public void Arming_by_schedule_follows_the_profile_and_manual_modes_ignore_it()
    {
        var p = Closed();
        var night = DateTimeOffset.Parse("2026-11-23T21:30:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var day = night.AddHours(12);
        var scheduled = new CameraArming("c", ArmingMode.Schedule, "p", night, "t");
        Assert.True(scheduled.IsArmed(night, p));
        Assert.False(scheduled.IsArmed(day, p));
        Assert.False(scheduled.IsArmed(night, null)); // a missing profile never arms
        Assert.True((scheduled with { Mode = ArmingMode.Armed }).IsArmed(day, p));
        Assert.False((scheduled with { Mode = ArmingMode.Disarmed }).IsArmed(night, p));
    }
}
