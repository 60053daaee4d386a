using System.Collections.Concurrent;

namespace Argus.Core.Security;

/// <summary>
/// A fixed window of attempts per address. Without a timer: .NET's partitioned rate limiter ticks every 100 ms for
/// ever, ten wake-ups a second on an idle server (measured as part of its fixed CPU cost).
/// </summary>
public sealed class LoginThrottle(int permits, TimeSpan window, TimeProvider clock)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, Window> _windows = new();

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start = start;
        public int Used;
    }

    /// <summary>Addresses with a window kept (expired ones go once there are many).</summary>
    public int Count => _windows.Count;

    /// <summary>Takes one attempt for <paramref name="address"/>; false when its window is used up.</summary>
    public bool TryTake(string address)
    {
        var now = clock.GetUtcNow();
        if (_windows.Count > PruneAbove)
            foreach (var (key, w) in _windows)
                if (now - w.Start >= window) _windows.TryRemove(key, out _);
        var current = _windows.GetOrAdd(address, _ => new Window(now));
        lock (current)
        {
            if (now - current.Start >= window)
            {
                current.Start = now;
                current.Used = 0;
            }
            if (current.Used >= permits) return false;
            current.Used++;
            return true;
        }
    }
}
