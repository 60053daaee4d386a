using Argus.Core.Time;

namespace Argus.Core.Tests.Time;

public class TimerThreadTests
{
    [Fact]
    public async Task It_wakes_once_per_due_time_and_fires_every_timer_due_then()
    {
        var thread = new TimerThread();
        var fired = 0;
        var start = TimerThread.NowMs + 200;
        var timers = new[]
        {
            thread.Create(_ => Interlocked.Increment(ref fired), null, start, 500),
            thread.Create(_ => Interlocked.Increment(ref fired), null, start, 500),
            thread.Create(_ => Interlocked.Increment(ref fired), null, start + 250, 0),
        };
        // Due times up to start + 2000: start, +250, +500, +1000, +1500, +2000.
        while (TimerThread.NowMs < start + 2200) await Task.Delay(50);
        var wakeUps = thread.WakeUps;
        foreach (var t in timers) t.Dispose();
        for (var i = 0; i < 100 && Volatile.Read(ref fired) < 11; i++) await Task.Delay(20);
        Assert.Equal(2 * 5 + 1, Volatile.Read(ref fired));
        // The runtime's timer thread would wake 4-5 times per due time here (a coarse clock judges what is due).
        Assert.InRange(wakeUps, 6, 7);
    }

    [Fact]
    public async Task Periodic_ticks_stay_on_their_grid_and_a_changed_or_disposed_timer_stops()
    {
        var thread = new TimerThread();
        var ticks = new List<long>();
        var origin = TimerThread.NowMs + 100;
        var periodic = thread.Create(_ => { lock (ticks) ticks.Add(TimerThread.NowMs); }, null, origin, 300);
        var stopped = 0;
        var once = thread.Create(_ => Interlocked.Increment(ref stopped), null, origin + 200, 0);
        Assert.True(once.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        var disposed = thread.Create(_ => Interlocked.Increment(ref stopped), null, origin + 200, 100);
        disposed.Dispose();
        Assert.False(disposed.Change(TimeSpan.Zero, TimeSpan.Zero));

        while (TimerThread.NowMs < origin + 1000) await Task.Delay(50);
        periodic.Dispose();
        long[] seen;
        lock (ticks) seen = [.. ticks];
        Assert.InRange(seen.Length, 3, 4); // origin, +300, +600, +900
        // Observed on a pool thread: at or a little after each grid time, never before.
        Assert.All(seen, t => Assert.InRange((t - origin) % 300, 0, 150));
        Assert.Equal(0, stopped);
    }

    [Fact]
    public async Task A_callback_runs_in_its_creators_execution_context()
    {
        var thread = new TimerThread();
        var local = new AsyncLocal<string>();
        var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        local.Value = "creator";
        using var timer = thread.Create(_ => seen.TrySetResult(local.Value), null, TimerThread.NowMs + 10, 0);
        local.Value = "changed later";
        Assert.Equal("creator", await seen.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
