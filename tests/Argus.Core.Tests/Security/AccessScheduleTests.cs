using Argus.Core.Security;

namespace Argus.Core.Tests.Security;

public sealed class AccessScheduleTests
{
    private static readonly AccessSchedule SchoolDays = AccessSchedule.Parse(["mon", "tue", "wed", "thu", "fri"], "08:00", "17:00", "Asia/Shanghai");

    [Theory]
    [InlineData("2026-11-25T08:00:00+08:00", true)]  // Wednesday, opening minute
    [InlineData("2026-11-25T16:59:59+08:00", true)]
    [InlineData("2026-11-25T17:00:00+08:00", false)] // the end is exclusive
    [InlineData("2026-11-25T07:59:59+08:00", false)]
    [InlineData("2026-11-28T10:00:00+08:00", false)] // Saturday
    [InlineData("2026-11-25T01:00:00Z", true)]       // 09:00 in Shanghai, given in UTC
    [InlineData("2026-11-24T23:30:00Z", false)]      // Tuesday in UTC, Wednesday 07:30 in Shanghai: not yet open
    public void School_days_in_Shanghai(string instant, bool open)
    {
        Assert.Equal(open, SchoolDays.IsOpen(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("2026-11-27T23:00:00Z", true)]  // Friday 23:00: the night that starts Friday
    [InlineData("2026-11-28T06:59:00Z", true)]  // Saturday morning still belongs to Friday's night
    [InlineData("2026-11-28T07:00:00Z", false)]
    [InlineData("2026-11-28T23:00:00Z", false)] // Saturday night is not in the schedule
    [InlineData("2026-11-29T06:00:00Z", false)]
    public void Overnight_windows_belong_to_the_day_they_start(string instant, bool open)
    {
        var nights = AccessSchedule.Parse(["mon", "tue", "wed", "thu", "fri"], "22:00", "07:00", "UTC");
        Assert.Equal(open, nights.IsOpen(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Until_midnight_is_written_24_00()
    {
        var evening = AccessSchedule.Parse(["sun"], "18:00", "24:00", "UTC");
        Assert.True(evening.IsOpen(DateTimeOffset.Parse("2026-11-29T23:59:59Z", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("24:00", evening.ToText);
    }

    [Theory]
    [InlineData(new[] { "mon" }, "8:00", "17:00", "UTC", "HH:mm")]
    [InlineData(new[] { "mon" }, "08:00", "25:00", "UTC", "HH:mm")]
    [InlineData(new[] { "mon" }, "08:00", "08:00", "UTC", "differ")]
    [InlineData(new[] { "funday" }, "08:00", "17:00", "UTC", "funday")]
    [InlineData(new string[0], "08:00", "17:00", "UTC", "at least one day")]
    [InlineData(new[] { "mon" }, "08:00", "17:00", "Mars/Olympus", "time zone")]
    public void Bad_schedules_say_what_is_wrong(string[] days, string from, string to, string zone, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => AccessSchedule.Parse(days, from, to, zone));
        Assert.Contains(expected, e.Message);
    }
}
