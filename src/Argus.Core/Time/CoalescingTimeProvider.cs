namespace Argus.Core.Time;

/// <summary>
/// The server's clock, with timers that wake the process less often (docs/decisions.md, 2026-12-03):
/// <list type="bullet">
/// <item>periodic timers of whole seconds tick on the same whole-second boundaries, so they fire in one wake-up
/// instead of one each;</item>
/// <item>over the system clock, all its timers fire from a thread of their own that wakes once per due time
/// (<see cref="TimerThread"/>), where the runtime's wakes 4–5 times;</item>
/// <item>one-shot timers of <see cref="DeadlineFrom"/> or more fire <see cref="Margin"/> late instead of up to a few
/// milliseconds early (the runtime counts in coarse ticks). Orleans waits for a wall-clock time in a loop and re-arms,
/// or spins, when its timer fires before it.</item>
/// </list>
/// Times read through it are the inner clock's.
/// </summary>
/// <param name="ownThread">False: timers go to the inner clock even over the system clock (the runtime's timer thread).</param>
public sealed class CoalescingTimeProvider(TimeProvider inner, bool ownThread = true) : TimeProvider
{
    /// <summary>Shorter one-shot timers are polls, not deadlines: left as they are.</summary>
    public static readonly TimeSpan DeadlineFrom = TimeSpan.FromMilliseconds(250);

    /// <summary>More than the runtime's timer granularity (its coarse clock ticks every 1–10 ms, plus a truncated ms).</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(20);

    private const long BoundaryMs = 1000;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();
    public override long GetTimestamp() => inner.GetTimestamp();
    public override long TimestampFrequency => inner.TimestampFrequency;
    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    /// <summary>Over the system clock, timers fire from a thread of their own (<see cref="TimerThread"/>).</summary>
    private readonly TimerThread? _thread = ownThread && inner == System ? new TimerThread() : null;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (_thread is not null)
        {
            var now = TimerThread.NowMs;
            var (at, every) = Adjust(dueTime, period, now);
            return new OwnThreadTimer(_thread.Create(callback, state, TimerThread.ToMs(at, now), TimerThread.ToPeriodMs(every)));
        }
        var (due, each) = Adjust(dueTime, period, Environment.TickCount64);
        return new CoalescedTimer(inner.CreateTimer(callback, state, due, each));
    }

    /// <summary>
    /// The due time to give the runtime's timer for <paramref name="dueTime"/> asked at <paramref name="nowMs"/>
    /// (<see cref="Environment.TickCount64"/>, the clock the runtime's timer queue counts in); the period is unchanged.
    /// </summary>
    public static (TimeSpan Due, TimeSpan Period) Adjust(TimeSpan dueTime, TimeSpan period, long nowMs)
    {
        if (dueTime == Timeout.InfiniteTimeSpan || dueTime < TimeSpan.Zero) return (dueTime, period);
        if (IsWholeSeconds(period))
        {
            // Ceiling to the next boundary: the first tick is at most a second later than asked, never earlier.
            var at = nowMs + (long)Math.Ceiling(dueTime.TotalMilliseconds);
            var aligned = (at + BoundaryMs - 1) / BoundaryMs * BoundaryMs;
            return (TimeSpan.FromMilliseconds(aligned - nowMs), period);
        }
        if (period == Timeout.InfiniteTimeSpan && dueTime >= DeadlineFrom) return (dueTime + Margin, period);
        return (dueTime, period);
    }

    private static bool IsWholeSeconds(TimeSpan period) =>
        period != Timeout.InfiniteTimeSpan && period >= TimeSpan.FromSeconds(1) && period.Ticks % TimeSpan.TicksPerSecond == 0;

    private sealed class OwnThreadTimer(TimerThread.Timer timer) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var now = TimerThread.NowMs;
            var (at, every) = Adjust(dueTime, period, now);
            return timer.ChangeAt(TimerThread.ToMs(at, now), TimerThread.ToPeriodMs(every));
        }

        public void Dispose() => timer.Dispose();
        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }

    private sealed class CoalescedTimer(ITimer timer) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var (due, every) = Adjust(dueTime, period, Environment.TickCount64);
            return timer.Change(due, every);
        }

        public void Dispose() => timer.Dispose();
        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
