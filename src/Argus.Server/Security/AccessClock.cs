using System.Globalization;

namespace Argus.Server.Security;

/// <summary>
/// The time access decisions are made at (grant schedules). Normally the system clock; with
/// <c>--access-clock-file FILE</c> (tests only) the time written in FILE, advancing from when it was written, so an
/// end-to-end test can put the server at 16:59 in Shanghai on a school day. Recording never uses this clock.
/// </summary>
public sealed class AccessClock(TimeProvider system, string? overrideFile)
{
    private readonly Lock _gate = new();
    private DateTime _readMtime;
    private DateTimeOffset? _base;

    public DateTimeOffset Now()
    {
        var now = system.GetUtcNow();
        if (overrideFile is null || !File.Exists(overrideFile)) return now;
        var mtime = File.GetLastWriteTimeUtc(overrideFile);
        lock (_gate)
        {
            if (mtime != _readMtime)
            {
                _readMtime = mtime;
                _base = DateTimeOffset.TryParse(File.ReadAllText(overrideFile).Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
            }
            return _base is { } b ? b + (now - new DateTimeOffset(mtime, TimeSpan.Zero)) : now;
        }
    }
}
