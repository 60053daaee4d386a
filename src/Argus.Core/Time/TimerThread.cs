using System.Diagnostics;

namespace Argus.Core.Time;

/// <summary>
/// One thread of its own fires the timers of a <see cref="CoalescingTimeProvider"/> over the system clock. It sleeps
/// until the earliest due time and judges what is due by the same precise monotonic clock, so it wakes once per due
/// time. The runtime's timer thread (Unix) sleeps on a precise clock too but judges by a coarse one (4 ms ticks here),
/// and re-sleeps about a millisecond at a time until that catches up: 4–5 wake-ups per due time, seen with strace.
/// Callbacks run on the thread pool with their creator's execution context, as the runtime's do. Unlike a runtime
/// timer, one that is abandoned without Dispose is not collected while it still has a tick to come.
/// </summary>
public sealed class TimerThread
{
    private static readonly long TicksPerMs = Stopwatch.Frequency / 1000;

    private readonly object _gate = new(); // Monitor.Wait/Pulse: not a System.Threading.Lock
    private readonly PriorityQueue<Entry, long> _queue = new();
    private Thread? _thread;
    private long _wakeAt = long.MaxValue; // while the thread sleeps: when it will wake by itself

    /// <summary>The clock due times are counted in: milliseconds of the monotonic clock.</summary>
    public static long NowMs => Stopwatch.GetTimestamp() / TicksPerMs;

    /// <summary>Wake-ups of the thread so far (tests, diagnostics).</summary>
    public long WakeUps { get; private set; }

    /// <summary>A timer, first due at <paramref name="atMs"/> (<see cref="NowMs"/>; -1: not started), then every
    /// <paramref name="periodMs"/> (0: once).</summary>
    public Timer Create(TimerCallback callback, object? state, long atMs, long periodMs)
    {
        var timer = new Timer(this, callback, state, ExecutionContext.Capture());
        Schedule(timer, atMs, periodMs);
        return timer;
    }

    private readonly record struct Entry(Timer Timer, long Version);

    internal bool Schedule(Timer timer, long atMs, long periodMs)
    {
        lock (_gate)
        {
            if (timer.Disposed) return false;
            timer.Version++;
            timer.PeriodMs = Math.Max(0, periodMs);
            if (atMs < 0) return true;
            _queue.Enqueue(new Entry(timer, timer.Version), atMs);
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "Argus timers" };
                _thread.UnsafeStart();
            }
            else if (atMs < _wakeAt) Monitor.Pulse(_gate);
            return true;
        }
    }

    private void Run()
    {
        var due = new List<Timer>();
        while (true)
        {
            lock (_gate)
            {
                while (true)
                {
                    var now = NowMs;
                    while (_queue.TryPeek(out var entry, out var at) && at <= now)
                    {
                        _queue.Dequeue();
                        var timer = entry.Timer;
                        if (entry.Version != timer.Version || timer.Disposed) continue;
                        due.Add(timer);
                        if (timer.PeriodMs > 0)
                        {
                            // The next tick stays on the same grid; ticks missed while the machine stalled are skipped.
                            var next = at + timer.PeriodMs;
                            if (next <= now) next += ((now - next) / timer.PeriodMs + 1) * timer.PeriodMs;
                            _queue.Enqueue(entry, next);
                        }
                    }
                    if (due.Count > 0) break;
                    var sleep = _queue.TryPeek(out _, out var first) ? (int)Math.Min(int.MaxValue, first - now) : Timeout.Infinite;
                    _wakeAt = sleep == Timeout.Infinite ? long.MaxValue : first;
                    Monitor.Wait(_gate, sleep);
                    _wakeAt = long.MaxValue;
                    WakeUps++;
                }
            }
            foreach (var timer in due) ThreadPool.UnsafeQueueUserWorkItem(static t => t.Fire(), timer, preferLocal: false);
            due.Clear();
        }
    }

    public sealed class Timer : ITimer
    {
        private readonly TimerThread _owner;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly ExecutionContext? _context;
        internal long Version;
        internal long PeriodMs;
        internal bool Disposed;

        internal Timer(TimerThread owner, TimerCallback callback, object? state, ExecutionContext? context) =>
            (_owner, _callback, _state, _context) = (owner, callback, state, context);

        /// <summary>Reschedules from now, as <see cref="System.Threading.Timer.Change(TimeSpan, TimeSpan)"/> does.</summary>
        public bool Change(TimeSpan dueTime, TimeSpan period) => _owner.Schedule(this, ToMs(dueTime, NowMs), ToPeriodMs(period));

        /// <summary>Absolute form: first due at <paramref name="atMs"/> (<see cref="NowMs"/>; -1: stopped).</summary>
        public bool ChangeAt(long atMs, long periodMs) => _owner.Schedule(this, atMs, periodMs);

        internal void Fire()
        {
            if (Volatile.Read(ref Disposed)) return;
            if (_context is null) _callback(_state);
            else ExecutionContext.Run(_context, static s => ((Timer)s!)._callback(((Timer)s!)._state), this);
        }

        public void Dispose()
        {
            lock (_owner._gate)
            {
                Disposed = true;
                Version++;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The due time as an absolute <see cref="NowMs"/>, or -1 for a timer that is stopped.</summary>
    public static long ToMs(TimeSpan dueTime, long nowMs) =>
        dueTime == Timeout.InfiniteTimeSpan || dueTime < TimeSpan.Zero ? -1 : nowMs + (long)Math.Ceiling(dueTime.TotalMilliseconds);

    /// <summary>A period in milliseconds, 0 for none (infinite or zero, as for a runtime timer).</summary>
    public static long ToPeriodMs(TimeSpan period) =>
        period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : Math.Max(1, (long)Math.Ceiling(period.TotalMilliseconds));
}
