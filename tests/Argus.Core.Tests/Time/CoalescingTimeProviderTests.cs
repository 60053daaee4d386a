using Argus.Core.Time;

namespace Argus.Core.Tests.Time;

public class CoalescingTimeProviderTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(1000, 1000, 1000, 1000)] // on a boundary: a whole second later
    [InlineData(1300, 1000, 1000, 1700)] // to the next boundary, never earlier than asked
    [InlineData(1999, 1000, 1000, 1001)]
    [InlineData(5250, 5000, 5000, 5750)] // longer periods tick on the same boundaries
    [InlineData(1300, 200, 1000, 700)]   // a first tick sooner than the period
    public void Periodic_timers_of_whole_seconds_start_on_the_next_second_boundary(long nowMs, int dueMs, int periodMs, int expectedDueMs)
    {
        var (due, period) = (TimeSpan.FromMilliseconds(dueMs), TimeSpan.FromMilliseconds(periodMs));
        var (adjusted, every) = CoalescingTimeProvider.Adjust(due, period, nowMs);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedDueMs), adjusted);
        Assert.Equal(period, every);
        Assert.True(adjusted >= due);
    }

    [Fact]
    public void One_shot_deadlines_fire_late_by_the_margin_and_everything_else_is_untouched()
    {
        var never = Timeout.InfiniteTimeSpan;
        Assert.Equal(Second + CoalescingTimeProvider.Margin, CoalescingTimeProvider.Adjust(Second, never, 1234).Due);
        Assert.Equal(TimeSpan.FromMilliseconds(999.6) + CoalescingTimeProvider.Margin,
            CoalescingTimeProvider.Adjust(TimeSpan.FromMilliseconds(999.6), never, 1234).Due);
        // polls
        Assert.Equal(TimeSpan.FromMilliseconds(20), CoalescingTimeProvider.Adjust(TimeSpan.FromMilliseconds(20), never, 1234).Due);
        // periods that are not whole seconds, a stopped timer, an immediate tick
        Assert.Equal((TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)),
            CoalescingTimeProvider.Adjust(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100), 1234));
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(1500)),
            CoalescingTimeProvider.Adjust(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(1500), 1234));
        Assert.Equal((never, never), CoalescingTimeProvider.Adjust(never, never, 1234));
        Assert.Equal((TimeSpan.Zero, never), CoalescingTimeProvider.Adjust(TimeSpan.Zero, never, 1234));
    }

    [Fact]
    public async Task Periodic_timers_created_apart_tick_together_on_second_boundaries()
    {
        var clock = new CoalescingTimeProvider(TimeProvider.System);
        // Start away from a boundary so that a timer left alone would tick mid-second.
        while (TimerThread.NowMs % 1000 is < 580 or > 620) await Task.Delay(5);
        var ticks = new List<long>[3];
        var timers = new List<ITimer>();
        for (var i = 0; i < ticks.Length; i++)
        {
            var mine = ticks[i] = [];
            timers.Add(clock.CreateTimer(_ => { lock (mine) mine.Add(TimerThread.NowMs); }, null, Second, Second));
            await Task.Delay(150);
        }
        await Task.Delay(TimeSpan.FromSeconds(3.2));
        foreach (var t in timers) t.Dispose();

        foreach (var mine in ticks)
        {
            long[] seen;
            lock (mine) seen = [.. mine];
            Assert.True(seen.Length >= 2, $"ticks: {seen.Length}");
            // Left alone they would tick at about 600, 750 and 900 ms past a second. A tick is observed on a pool
            // thread, at or a little after the boundary.
            Assert.All(seen, t => Assert.InRange(t % 1000, 0, 450));
        }
    }

    [Fact]
    public async Task A_wall_clock_deadline_is_reached_with_one_timer()
    {
        // Orleans' DelayUntilAsync pattern: wait, then look at the wall clock, and wait again if it is not yet time.
        var clock = new CoalescingTimeProvider(TimeProvider.System);
        var rounds = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            var due = clock.GetUtcNow() + TimeSpan.FromMilliseconds(300 + 37 * i);
            var n = 0;
            for (var left = due - clock.GetUtcNow(); left > TimeSpan.Zero; left = due - clock.GetUtcNow())
            {
                n++;
                await Task.Delay(left, clock);
            }
            rounds.Add(n);
        }
        Assert.All(rounds, n => Assert.Equal(1, n));
    }
}
