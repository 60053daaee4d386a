using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Argus.Media.Live;

/// <summary>
/// Live video read back from the fragmented-MP4 segments the recorder is writing, only while someone watches.
/// ffmpeg records once (no second output); the segment files carry short fragments flushed as they complete, so a
/// viewer's first picture comes from the current file's last keyframe and then follows the file as it grows, and
/// the next one. Nobody watching costs nothing: no reader, no pipe, no wake-ups (docs/decisions.md).
/// Each segment restarts its timestamps at zero; fragments are shifted so that a session's timeline runs on.
/// </summary>
public sealed class SegmentTail : IDisposable
{
    private readonly LiveChannel _channel;
    private readonly string _dir, _prefix;
    private readonly TimeSpan _poll, _linger;
    private readonly ILogger _log;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private bool _running, _disposed;

    /// <param name="incoming">The folder ffmpeg writes the run's segments to, named <c>{prefix}NNNNNN.mp4</c>.</param>
    /// <param name="poll">How often a watched file is checked for new fragments (adds at most this to latency).</param>
    /// <param name="linger">How long reading goes on after the last viewer left (a page reload comes back at once).</param>
    public SegmentTail(LiveChannel channel, string incoming, string prefix, ILogger log, TimeProvider? clock = null,
        TimeSpan? poll = null, TimeSpan? linger = null)
    {
        (_channel, _dir, _prefix, _log) = (channel, incoming, prefix, log);
        _clock = clock ?? TimeProvider.System;
        _poll = poll ?? TimeSpan.FromMilliseconds(20);
        _linger = linger ?? TimeSpan.FromSeconds(10);
        channel.Attach(Wake, LatestKeyframe);
        if (channel.Viewers > 0) Wake();
    }

    /// <summary>Starts following the current segment unless that is already happening (a viewer joined).</summary>
    public void Wake()
    {
        lock (_lock)
        {
            if (_running || _disposed) return;
            _running = true;
        }
        Task.Factory.StartNew(Follow, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The run ended: stop following, forget the hooks.</summary>
    public void Dispose()
    {
        lock (_lock) _disposed = true;
        _channel.Detach(Wake);
    }

    /// <summary>For snapshots while nobody watches: the init and last keyframe of the newest segment on disk.</summary>
    public (LiveInit Init, LiveFragment Keyframe)? LatestKeyframe()
    {
        for (var n = CurrentIndex(); n >= 0; n--)
        {
            try
            {
                using var fs = Open(PathOf(n));
                var reader = new Fmp4StreamReader(fs, keepDeltaFrames: () => false);
                LiveInit? init = null;
                LiveFragment? key = null;
                while (reader.ReadAsync().AsTask().GetAwaiter().GetResult() is { } piece)
                {
                    if (piece is LiveInit i) init = i;
                    else if (piece is LiveFragment { IsKeyframe: true } f) key = f;
                }
                if (init is not null && key is not null) return (init, key);
            }
            catch (Exception e) when (e is IOException or InvalidDataException) { }
        }
        return null;
    }

    private string PathOf(int n) => Path.Combine(_dir, $"{_prefix}{n:D6}.mp4");

    /// <summary>The highest segment number of the run on disk (finalized ones have moved away), or -1.</summary>
    private int CurrentIndex()
    {
        var best = -1;
        try
        {
            foreach (var f in Directory.EnumerateFiles(_dir, _prefix + "*.mp4"))
            {
                var name = Path.GetFileNameWithoutExtension(f);
                if (int.TryParse(name.AsSpan(_prefix.Length), out var n) && n > best) best = n;
            }
        }
        catch (DirectoryNotFoundException) { }
        return best;
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.None);

    private void Follow()
    {
        try
        {
            new Session(this).Run();
        }
        catch (Exception e)
        {
            _log.LogWarning(e, "Camera {Camera}: following the recording for live view failed", _channel.CameraId);
        }
        finally
        {
            lock (_lock) _running = false;
        }
    }

    /// <summary>True when reading should end: disposed, or nobody has watched for the linger time. Decided under the
    /// lock, so a viewer joining now finds the reader stopped and starts a new one.</summary>
    private bool ShouldStop(ref DateTimeOffset lastWatched)
    {
        var now = _clock.GetUtcNow();
        if (_channel.Viewers > 0) lastWatched = now;
        lock (_lock)
        {
            if (!_disposed && (_channel.Viewers > 0 || now - lastWatched < _linger)) return false;
            // Stale once nobody reads on: a later viewer must start from the file, not from this GOP.
            _channel.EndRun();
            _running = false;
            return true;
        }
    }

    /// <summary>One stretch of following, from the current file's last keyframe until nobody watches.</summary>
    private sealed class Session(SegmentTail tail)
    {
        private DateTimeOffset _lastWatched = tail._clock.GetUtcNow();
        private bool _stop, _catchingUp = true;
        private byte[]? _init;
        private LiveInit? _pendingInit;
        private readonly List<LiveFragment> _pendingGop = [];
        private uint _trexDuration;
        private ulong? _nextStart;   // shifted decode time the next file's first fragment continues from
        private long? _shift;        // per file: set by its first fragment

        public void Run()
        {
            var n = tail.CurrentIndex();
            while (n < 0)
            {
                if (Stop()) return;
                Thread.Sleep(tail._poll * 5);
                n = tail.CurrentIndex();
            }
            while (!_stop)
            {
                FileStream fs;
                try { fs = Open(tail.PathOf(n)); }
                catch (FileNotFoundException)
                {
                    // Finalized before this reader got to it (it lagged): go on from the newest file.
                    var newest = tail.CurrentIndex();
                    if (newest > n) { n = newest; _nextStart = null; continue; }
                    if (Stop()) return;
                    Thread.Sleep(tail._poll);
                    continue;
                }
                using (fs)
                {
                    var next = tail.PathOf(n + 1);
                    var growing = new GrowingFile(fs, () => File.Exists(next), Stop, CaughtUp, tail._poll);
                    var reader = new Fmp4StreamReader(growing);
                    _shift = null;
                    while (reader.ReadAsync().AsTask().GetAwaiter().GetResult() is { } piece)
                    {
                        if (piece is LiveInit init) OnInit(init);
                        else if (piece is LiveFragment f) OnFragment(f);
                    }
                }
                if (_stop) return;
                n++;
            }
        }

        private bool Stop() => _stop = _stop || tail.ShouldStop(ref _lastWatched);

        private void OnInit(LiveInit init)
        {
            // Every segment starts with the same ftyp+moov for one camera; only a changed one resets players.
            if (_init is not null && init.Data.AsSpan().SequenceEqual(_init)) return;
            _init = init.Data;
            _trexDuration = TrexDefaultDuration(init.Data);
            if (_catchingUp) { _pendingInit = init; _pendingGop.Clear(); }
            else tail._channel.PublishInit(init);
        }

        private void OnFragment(LiveFragment f)
        {
            _shift ??= _nextStart is { } start ? (long)start - (long)f.BaseMediaDecodeTime : 0;
            var shifted = _shift == 0 ? f : Shift(f, _shift.Value);
            _nextStart = shifted.BaseMediaDecodeTime + Duration(shifted.Data, _trexDuration);
            if (!_catchingUp)
            {
                tail._channel.Publish(shifted);
                return;
            }
            if (shifted.IsKeyframe) _pendingGop.Clear();
            if (shifted.IsKeyframe || _pendingGop.Count > 0) _pendingGop.Add(shifted);
        }

        /// <summary>The reader reached the end of what is written: what came before is the start-up GOP.</summary>
        private void CaughtUp()
        {
            if (!_catchingUp) return;
            _catchingUp = false;
            tail._log.LogDebug("Camera {Camera}: live from the recording: caught up, init {Init}, start-up GOP of {Fragments} fragment(s)",
                tail._channel.CameraId, _pendingInit is not null, _pendingGop.Count);
            if (_pendingInit is not null) tail._channel.PublishInit(_pendingInit);
            foreach (var f in _pendingGop) tail._channel.Publish(f);
            _pendingInit = null;
            _pendingGop.Clear();
        }
    }

    /// <summary>The fragment with its tfdt moved by <paramref name="shift"/> ticks, patched in place: the reader's
    /// fresh array, not yet shared with anyone (no copy per fragment).</summary>
    internal static LiveFragment Shift(LiveFragment f, long shift)
    {
        var data = f.Data;
        var time = (ulong)Math.Max(0, (long)f.BaseMediaDecodeTime + shift);
        var moof = Boxes.Find(data, FourCC.Moof);
        var tfdt = Boxes.Find(Boxes.Find(moof, FourCC.Traf), FourCC.Tfdt);
        if (tfdt.Length >= 8)
        {
            var at = (int)Unsafe.ByteOffset(ref MemoryMarshal.GetArrayDataReference(data), ref MemoryMarshal.GetReference(tfdt));
            if (tfdt[0] == 1 && tfdt.Length >= 12) BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(at + 4), time);
            else BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(at + 4), (uint)time);
        }
        return new LiveFragment(data, f.IsKeyframe, time);
    }

    /// <summary>The fragment's duration in track ticks (see <see cref="TrackFragment.Duration"/>).</summary>
    internal static ulong Duration(ReadOnlySpan<byte> fragment, uint trexDefault) =>
        TrackFragment.Duration(Boxes.Find(Boxes.Find(fragment, FourCC.Moof), FourCC.Traf), trexDefault);

    private static uint TrexDefaultDuration(byte[] init)
    {
        var moov = Boxes.Find(init, FourCC.Moov);
        foreach (var trex in new Boxes(Boxes.Find(moov, FourCC.Mvex)))
            if (trex.Type == FourCC.Trex && trex.Body.Length >= 16) return BinaryPrimitives.ReadUInt32BigEndian(trex.Body[12..]);
        return 0;
    }

    /// <summary>
    /// A segment file being written: at its end, waits for more rather than ending, until ffmpeg has opened the next
    /// file (this one is complete then) or reading should stop. Reads complete synchronously (a dedicated thread).
    /// </summary>
    private sealed class GrowingFile(FileStream file, Func<bool> complete, Func<bool> stop, Action caughtUp, TimeSpan poll) : ReadOnlyStream
    {
        public override int Read(Span<byte> buffer)
        {
            while (true)
            {
                var n = file.Read(buffer);
                if (n > 0) return n;
                if (stop()) return 0;
                // ffmpeg opens the next segment only after closing this one: read once more, then this file is done.
                if (complete()) return file.Read(buffer);
                caughtUp();
                Thread.Sleep(poll);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Task.FromResult(Read(buffer.AsSpan(offset, count)));
    }
}
