using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Argus.Media.Live;

/// <summary>One HLS media segment: a whole GOP of the live fragments, numbered within its channel.</summary>
public sealed record HlsSegment(long Sequence, int InitVersion, double Duration, byte[] Data);

/// <summary>
/// The HLS fallback of a camera's live view (for players without Media Source Extensions): a viewer of the same
/// <see cref="LiveChannel"/> that cuts its fragments into one segment per GOP and keeps the last few, so the
/// playlist is plain fMP4 HLS over the same single camera connection. Latency is a few GOPs, not MSE's ~0.25 s.
/// </summary>
public sealed class HlsWindow : IDisposable
{
    public const int Keep = 6;
    private readonly LiveSubscriber _viewer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<HlsSegment> _segments = [];
    private readonly Dictionary<int, LiveInit> _inits = [];
    private readonly List<LiveFragment> _gop = [];
    private LiveInit? _init;
    private int _initVersion = -1;
    private long _next;
    private int _target = 1; // EXT-X-TARGETDURATION: the longest segment made, rounded up; it never shrinks (players reject that)
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HlsWindow(LiveChannel channel, TimeProvider clock)
    {
        _viewer = channel.Subscribe();
        Clock = clock;
        LastUsed = clock.GetUtcNow();
        _ = Task.Run(PumpAsync);
    }

    public TimeProvider Clock { get; }
    public DateTimeOffset LastUsed { get; private set; }

    private async Task PumpAsync()
    {
        try
        {
            while (await _viewer.ReadAsync(_stop.Token) is { } piece)
            {
                lock (_lock)
                {
                    if (piece is LiveInit init)
                    {
                        _init = init;
                        _inits[++_initVersion] = init;
                        _inits.Remove(_initVersion - 2);
                        _gop.Clear();
                    }
                    else if (piece is LiveFragment f && _init is not null)
                    {
                        if (f.IsKeyframe && _gop.Count > 0)
                        {
                            // A run-in of a few frames before a second keyframe (an encoder's start-up) is dropped:
                            // Chromium's HLS refused a stream that began with it.
                            if (Seconds(f.BaseMediaDecodeTime - _gop[0].BaseMediaDecodeTime) >= 0.5) CloseSegment(f);
                            else _gop.Clear();
                        }
                        if (f.IsKeyframe || _gop.Count > 0) _gop.Add(f);
                    }
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private double Seconds(ulong ticks) => _init!.Timescale > 0 ? ticks / (double)_init.Timescale : 1;

    private void CloseSegment(LiveFragment nextKeyframe)
    {
        var duration = Seconds(nextKeyframe.BaseMediaDecodeTime - _gop[0].BaseMediaDecodeTime);
        var data = new byte[_gop.Sum(g => g.Data.Length)];
        var offset = 0;
        foreach (var g in _gop)
        {
            g.Data.CopyTo(data, offset);
            offset += g.Data.Length;
        }
        _segments.Add(new HlsSegment(_next++, _initVersion, duration, data));
        _target = Math.Max(_target, (int)Math.Ceiling(duration));
        // At least Keep segments and four target durations, so a late joiner can still start three from the end.
        while (_segments.Count > Keep && _segments.Skip(1).Sum(s => s.Duration) >= 4 * _target) _segments.RemoveAt(0);
        _gop.Clear();
        _changed.TrySetResult();
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// The media playlist once it spans three target durations (waits up to <paramref name="wait"/>); null if it never
    /// did. A client starts three target durations from the live edge (RFC 8216 6.3.3): Chromium, given two segments,
    /// found nothing to play from and failed after its first reload.
    /// </summary>
    public async Task<string?> PlaylistAsync(TimeSpan wait, CancellationToken ct)
    {
        LastUsed = Clock.GetUtcNow();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(wait);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (LongEnough()) return Playlist();
                changed = _changed.Task;
            }
            try { await changed.WaitAsync(limit.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return null; }
        }
    }

    private bool LongEnough() => _segments.Count > 0 && _segments.Sum(s => s.Duration) >= 3 * _target;

    private string Playlist()
    {
        var first = _segments[0];
        var sb = new StringBuilder()
            .Append("#EXTM3U\n#EXT-X-VERSION:7\n")
            .Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{_target}\n")
            .Append(CultureInfo.InvariantCulture, $"#EXT-X-MEDIA-SEQUENCE:{first.Sequence}\n")
            // One discontinuity per new ffmpeg run (its own init), counted from the first run.
            .Append(CultureInfo.InvariantCulture, $"#EXT-X-DISCONTINUITY-SEQUENCE:{first.InitVersion}\n");
        int? version = null;
        foreach (var s in _segments)
        {
            if (version is not null && s.InitVersion != version) sb.Append("#EXT-X-DISCONTINUITY\n");
            if (s.InitVersion != version) sb.Append(CultureInfo.InvariantCulture, $"#EXT-X-MAP:URI=\"init{s.InitVersion}.mp4\"\n");
            version = s.InitVersion;
            sb.Append(CultureInfo.InvariantCulture, $"#EXTINF:{s.Duration:0.000},\n{s.Sequence}.m4s\n");
        }
        return sb.ToString();
    }

    public LiveInit? InitOf(int version)
    {
        LastUsed = Clock.GetUtcNow();
        lock (_lock) return _inits.GetValueOrDefault(version);
    }

    public HlsSegment? Segment(long sequence)
    {
        LastUsed = Clock.GetUtcNow();
        lock (_lock) return _segments.FirstOrDefault(s => s.Sequence == sequence);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _viewer.Dispose();
    }
}

/// <summary>HLS windows on demand: one per camera while HLS players ask for it, closed after 30 s without requests.</summary>
public sealed class HlsWindows(TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan Idle = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, HlsWindow> _windows = new();

    public HlsWindow Get(string cameraId, LiveChannel channel)
    {
        foreach (var (id, w) in _windows)
            if (clock.GetUtcNow() - w.LastUsed > Idle && _windows.TryRemove(id, out var gone)) gone.Dispose();
        return _windows.GetOrAdd(cameraId, _ => new HlsWindow(channel, clock));
    }

    public HlsWindow? Existing(string cameraId) => _windows.GetValueOrDefault(cameraId);

    public void Dispose()
    {
        foreach (var w in _windows.Values) w.Dispose();
        _windows.Clear();
    }
}
