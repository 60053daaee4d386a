namespace Argus.Media.Live;

/// <summary>Bounds of a live channel and of each viewer's queue.</summary>
public sealed record LiveLimits
{
    /// <summary>The cached group of pictures (since the last keyframe) is dropped if it grows past this (a camera with a huge GOP).</summary>
    public long GopCacheBytes { get; init; } = 16 << 20;

    /// <summary>A viewer further behind than this (media time, beyond its start-up GOP) skips to the next keyframe.</summary>
    public TimeSpan MaxLag { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The same, in bytes queued for the viewer.</summary>
    public long MaxQueueBytes { get; init; } = 8 << 20;
}

/// <summary>
/// One camera's live video, fed by the recorder's ffmpeg and fanned out to any number of viewers. It holds the
/// current run's init segment and the fragments since the last keyframe, so a new viewer starts at once with a
/// decodable picture. Publishing never waits on a viewer: each has its own bounded queue and a slow one loses
/// fragments up to the next keyframe (counted in <see cref="Drops"/>), never holding up the reader or the others.
/// </summary>
public sealed class LiveChannel(string cameraId, LiveLimits? limits = null)
{
    private readonly Lock _lock = new();
    private readonly List<LiveFragment> _gop = [];
    private readonly List<LiveSubscriber> _subscribers = [];
    private LiveInit? _init;
    private long _gopBytes, _fragments, _dropsOfDeparted;
    private int _viewers;
    private bool _closed;
    private bool _gopComplete; // false after a skipped delta frame: new viewers then start at the next keyframe

    public string CameraId { get; } = cameraId;
    public LiveLimits Limits { get; } = limits ?? new LiveLimits();

    /// <summary>The current run's init segment; null while no ffmpeg runs for the camera.</summary>
    public LiveInit? Init { get { lock (_lock) return _init; } }

    public int Viewers => Volatile.Read(ref _viewers);

    /// <summary>Fragments published since the channel was created.</summary>
    public long Fragments => Interlocked.Read(ref _fragments);

    /// <summary>Fragments viewers lost to falling behind, over all viewers past and present.</summary>
    public long Drops
    {
        get
        {
            lock (_lock) return _dropsOfDeparted + _subscribers.Sum(s => s.Dropped);
        }
    }

    /// <summary>A new ffmpeg run began: viewers get its init and then start again at its first keyframe.</summary>
    public void PublishInit(LiveInit init)
    {
        lock (_lock)
        {
            if (_closed) return;
            _init = init;
            ClearGop();
            foreach (var s in _subscribers) s.OfferInit(init);
        }
    }

    public void Publish(LiveFragment fragment)
    {
        lock (_lock)
        {
            if (_closed || _init is null) return;
            Interlocked.Increment(ref _fragments);
            if (fragment.IsKeyframe)
            {
                ClearGop();
                _gopComplete = true;
            }
            if (fragment.IsKeyframe || _gop.Count > 0)
            {
                if (_gopBytes + fragment.Data.Length > Limits.GopCacheBytes) ClearGop(); // new viewers wait for the next keyframe
                else
                {
                    _gop.Add(fragment);
                    _gopBytes += fragment.Data.Length;
                }
            }
            foreach (var s in _subscribers) s.OfferFragment(fragment);
        }
    }

    /// <summary>
    /// A delta frame went by unread (nobody watched): the cached keyframe still serves snapshots, but a viewer must
    /// start at the next keyframe (at most one GOP away) rather than at a GOP with a hole in it.
    /// </summary>
    public void PublishSkipped()
    {
        lock (_lock)
        {
            if (_closed || _init is null) return;
            Interlocked.Increment(ref _fragments);
            _gopComplete = false;
        }
    }

    /// <summary>The run ended (ffmpeg exited): no init until the next run; viewers stay and wait for it.</summary>
    public void EndRun()
    {
        lock (_lock)
        {
            _init = null;
            ClearGop();
        }
    }

    /// <summary>No more video ever (the server stops): every viewer's read returns null.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            _init = null;
            ClearGop();
            foreach (var s in _subscribers) s.Close();
        }
    }

    /// <summary>A new viewer: its queue starts with the current init and the cached GOP (from its keyframe).</summary>
    public LiveSubscriber Subscribe()
    {
        LiveSubscriber s;
        Action? joined;
        lock (_lock)
        {
            s = new LiveSubscriber(this, Limits, _init, _gopComplete ? _gop : []);
            if (_closed) s.Close();
            else
            {
                _subscribers.Add(s);
                _viewers = _subscribers.Count;
            }
            joined = _viewerJoined;
        }
        joined?.Invoke();
        return s;
    }

    /// <summary>The init and the latest keyframe fragment (for snapshots), or null when there is none.</summary>
    public (LiveInit Init, LiveFragment Keyframe)? LatestKeyframe()
    {
        Func<(LiveInit, LiveFragment)?>? onDemand;
        lock (_lock)
        {
            if (_init is { } init && _gop.Count > 0) return (init, _gop[0]);
            onDemand = _keyframeOnDemand;
        }
        return onDemand?.Invoke();
    }

    private Action? _viewerJoined;
    private Func<(LiveInit, LiveFragment)?>? _keyframeOnDemand;

    /// <summary>
    /// For a source that reads only while watched (<see cref="SegmentTail"/>): <paramref name="viewerJoined"/> runs
    /// on each new viewer, and <paramref name="keyframe"/> answers snapshots while nothing is cached.
    /// </summary>
    public void Attach(Action viewerJoined, Func<(LiveInit, LiveFragment)?> keyframe)
    {
        lock (_lock) (_viewerJoined, _keyframeOnDemand) = (viewerJoined, keyframe);
    }

    /// <summary>Undoes <see cref="Attach"/> if that source is still the attached one.</summary>
    public void Detach(Action viewerJoined)
    {
        lock (_lock)
            if (_viewerJoined == viewerJoined) (_viewerJoined, _keyframeOnDemand) = (null, null);
    }

    internal void Remove(LiveSubscriber s)
    {
        lock (_lock)
        {
            if (_subscribers.Remove(s)) _dropsOfDeparted += s.Dropped;
            _viewers = _subscribers.Count;
        }
    }

    private void ClearGop()
    {
        _gopComplete = false;
        _gop.Clear();
        _gopBytes = 0;
    }
}

/// <summary>
/// One viewer's view of a <see cref="LiveChannel"/>: a bounded queue read by one consumer. Dispose it when the viewer
/// leaves.
/// </summary>
public sealed class LiveSubscriber : IDisposable
{
    private readonly LiveChannel _channel;
    private readonly Lock _lock = new();
    private readonly Queue<LiveFragment> _queue = new();
    private LiveInit? _pendingInit;
    private long _queuedBytes, _dropped, _delivered;
    private uint _timescale;
    private bool _skipping = true;  // until a keyframe: decoding cannot start elsewhere
    private bool _countSkips;       // skips after falling behind are drops; waiting for the first keyframe is not
    private bool _closed;
    private TaskCompletionSource? _waiter;
    private readonly long _startupGopTicks, _maxBytes;
    private readonly TimeSpan _maxLag;

    internal LiveSubscriber(LiveChannel channel, LiveLimits limits, LiveInit? init, IReadOnlyList<LiveFragment> gop)
    {
        _channel = channel;
        // The start-up GOP is allowed on top of the lag bound: a viewer joining late in a long GOP is not behind.
        long gopBytes = 0;
        foreach (var f in gop) gopBytes += f.Data.Length;
        _maxBytes = limits.MaxQueueBytes + gopBytes;
        _maxLag = limits.MaxLag;
        _startupGopTicks = gop.Count > 1 ? (long)(gop[^1].BaseMediaDecodeTime - gop[0].BaseMediaDecodeTime) : 0;
        if (init is not null)
        {
            OfferInit(init);
            foreach (var f in gop) OfferFragment(f);
        }
    }

    /// <summary>Fragments this viewer lost by falling behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Pieces handed to this viewer (inits and fragments).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>
    /// The next piece to send: an init (the client resets its player) or a fragment. Waits while there is nothing;
    /// null once the channel is closed. One reader at a time.
    /// </summary>
    public async ValueTask<LivePiece?> ReadAsync(CancellationToken ct = default)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (TryTake(out var next)) return next;
                if (_closed) return null;
                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }
            await wait.WaitAsync(ct);
        }
    }

    /// <summary>The next queued piece without waiting.</summary>
    public bool TryRead([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LivePiece? piece)
    {
        lock (_lock) return TryTake(out piece);
    }

    private bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LivePiece? piece)
    {
        piece = null;
        if (_pendingInit is not null)
        {
            piece = _pendingInit;
            _pendingInit = null;
        }
        else if (_queue.TryDequeue(out var f))
        {
            piece = f;
            _queuedBytes -= f.Data.Length;
        }
        if (piece is null) return false;
        _delivered++;
        return true;
    }

    internal void OfferInit(LiveInit init)
    {
        lock (_lock)
        {
            // A new run: what is queued of the old one is stale, and the client resets its player anyway.
            _queue.Clear();
            _queuedBytes = 0;
            _pendingInit = init;
            _timescale = init.Timescale;
            _skipping = true;
            _countSkips = false;
            Wake();
        }
    }

    internal void OfferFragment(LiveFragment f)
    {
        lock (_lock)
        {
            if (_closed) return;
            if (_skipping)
            {
                if (!f.IsKeyframe)
                {
                    if (_countSkips) _dropped++;
                    return;
                }
                _skipping = false;
            }
            _queue.Enqueue(f);
            _queuedBytes += f.Data.Length;
            if (Behind(f))
            {
                // Fell behind: what is queued goes; play resumes at a keyframe (this one, if it is one).
                var keep = f.IsKeyframe ? f : null;
                _dropped += _queue.Count - (keep is null ? 0 : 1);
                _queue.Clear();
                _queuedBytes = 0;
                if (keep is not null)
                {
                    _queue.Enqueue(keep);
                    _queuedBytes = keep.Data.Length;
                }
                else
                {
                    _skipping = true;
                    _countSkips = true;
                }
            }
            Wake();
        }
    }

    private bool Behind(LiveFragment newest)
    {
        if (_queuedBytes > _maxBytes) return true;
        if (_timescale == 0 || _queue.Count < 2) return false;
        var span = (long)(newest.BaseMediaDecodeTime - _queue.Peek().BaseMediaDecodeTime);
        return span > _startupGopTicks + (long)(_maxLag.TotalSeconds * _timescale);
    }

    internal void Close()
    {
        lock (_lock)
        {
            _closed = true;
            Wake();
        }
    }

    private void Wake()
    {
        var w = _waiter;
        _waiter = null;
        w?.TrySetResult();
    }

    public void Dispose()
    {
        _channel.Remove(this);
        Close();
    }
}
