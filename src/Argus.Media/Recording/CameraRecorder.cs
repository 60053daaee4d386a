using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Argus.Core.Cameras;
using Argus.Media.Ffmpeg;
using Argus.Media.Live;
using Argus.Media.Native;
using Argus.Media.Privacy;
using Argus.Core.Privacy;
using Argus.Media.Storage;
using Microsoft.Extensions.Logging;

namespace Argus.Media.Recording;

/// <summary>
/// Records one camera stream: runs ffmpeg (stream copy into segments), restarts it on any exit with capped
/// exponential backoff, watches its progress for health, and hands each completed segment to the finalizer.
/// The camera's <see cref="LiveChannel"/> is fed from the segments being written while someone watches
/// (<see cref="SegmentTail"/>), or from a second, live output of the same ffmpeg on stdout when live needs its own picture.
/// </summary>
public sealed class CameraRecorder : IAsyncDisposable
{
    private readonly string _cameraId;
    private readonly SourceUrl _source;
    private readonly RtspTransport _transport;
    private readonly RecordingLayout _layout;
    private readonly SegmentFinalizer _finalizer;
    private readonly FfmpegOptions _ffmpeg;
    private readonly RecorderTuning _tuning;
    private readonly RecordingMetrics _metrics;
    private readonly ILogger _log;
    private readonly TimeProvider _clock;
    private readonly StorageGate _storage;
    private readonly LiveChannel _live;
    private readonly CameraPrivacy _privacy;
    private (int Width, int Height)? _frameSize; // probed once, for the privacy mask
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private readonly Lock _gate = new();
    private bool _processRunning;
    private bool _framesThisRun;   // online needs video from the current ffmpeg, not a frame the last one saw
    private DateTimeOffset? _lastFrameAt;
    private double _fps, _kbps;
    private int _restarts;
    private string? _lastError;

    // The current run, for the host's once-a-second Tick (watchdog and segment collection).
    private Process? _process;
    private RunState? _run;
    private DateTimeOffset _runStarted;
    private bool _killedByWatchdog;
    private Task _collecting = Task.CompletedTask;

    public DateTimeOffset StartedAt { get; } 

    public CameraRecorder(string cameraId, SourceUrl source, RtspTransport transport, RecordingLayout layout, SegmentFinalizer finalizer,
        FfmpegOptions ffmpeg, RecorderTuning tuning, RecordingMetrics metrics, ILogger log, TimeProvider clock, StorageGate storage, LiveChannel live,
        CameraPrivacy? privacy = null)
    {
        (_cameraId, _source, _transport, _layout, _finalizer, _ffmpeg, _tuning, _metrics, _log, _clock, _storage, _live) =
            (cameraId, source, transport, layout, finalizer, ffmpeg, tuning, metrics, log, clock, storage, live);
        _privacy = privacy ?? CameraPrivacy.None;
        StartedAt = clock.GetUtcNow();
    }

    /// <summary>
    /// Called once a second by <see cref="RecorderHost"/> for all cameras from one timer (rather than timers per camera,
    /// whose wake-ups cost more CPU than the recording): collects completed segments and kills a stalled run.
    /// </summary>
    internal void Tick()
    {
        Process? process;
        RunState? run;
        lock (_gate) { process = _process; run = _run; }
        if (process is null || run is null) return;
        if (_collecting.IsCompleted) _collecting = run.ReadListAsync();

        if (_storage.Reason is { } full)
        {
            SetError(full);
            Stop(process);
            return;
        }

        var silent = _clock.GetUtcNow() - (run.LastFrameAt ?? _runStarted);
        var limit = run.LastFrameAt is null ? _tuning.FirstFrameTimeout : _tuning.StallTimeout;
        if (silent <= limit) return;
        SetError(run.LastFrameAt is null
            ? $"no video from the source within {limit.TotalSeconds:0} s (is this a camera stream?)"
            : $"stream stalled: no frames for {limit.TotalSeconds:0} s");
        _log.LogWarning("Camera {Camera}: {Error}; restarting ffmpeg", _cameraId, _lastError);
        Stop(process);
    }

    private void Stop(Process process)
    {
        _killedByWatchdog = true;
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { } // already gone
    }

    public SourceUrl Source => _source;

    /// <summary>The camera's live video, fed by this recorder's ffmpeg while it runs.</summary>
    public LiveChannel Live => _live;

    /// <summary>HLS arrives a whole segment (often 2–6 s) at a time: silence between bursts is not an outage.</summary>
    private TimeSpan OfflineAfter => _source.Kind == SourceKind.Hls ? _tuning.OfflineAfter * 3 : _tuning.OfflineAfter;
    public RtspTransport Transport => _transport;
    public CameraPrivacy Privacy => _privacy;

    public void Start() => _loop ??= Task.Run(() => SuperviseAsync(_stop.Token));

    public CameraHealth Health
    {
        get
        {
            lock (_gate)
            {
                var now = _clock.GetUtcNow();
                var online = _processRunning && _framesThisRun && _lastFrameAt is { } t && now - t < OfflineAfter;
                var error = online ? null : _lastError ?? (!_processRunning ? null
                    : _lastFrameAt is { } last ? $"no frames for {(now - last).TotalSeconds:0} s" : "connecting: no video received yet");
                return new CameraHealth(online ? CameraStatus.Online : CameraStatus.Offline,
                    online ? Math.Round(_fps, 2) : 0, online ? Math.Round(_kbps, 1) : 0, _lastFrameAt, _restarts, error);
            }
        }
    }

    private async Task SuperviseAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            if (_storage.Reason is { } full)
            {
                SetError(full);
                try { await Task.Delay(TimeSpan.FromSeconds(1), _clock, ct); }
                catch (OperationCanceledException) { break; }
                continue;
            }
            var started = _clock.GetUtcNow();
            try
            {
                await RunOnceAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception e)
            {
                SetError(e.Message);
                _log.LogError(e, "Camera {Camera}: recorder run failed", _cameraId);
            }
            if (ct.IsCancellationRequested) break;
            if (_storage.IsClosed) continue; // not a failure of the camera

            lock (_gate) _restarts++;
            _metrics.Restarted(_cameraId);
            if (_clock.GetUtcNow() - started >= _tuning.HealthyRun) failures = 0;
            var delay = TimeSpan.FromTicks(Math.Min(_tuning.BackoffMax.Ticks, _tuning.BackoffInitial.Ticks * (1L << Math.Min(failures, 20))));
            failures++;
            _log.LogInformation("Camera {Camera}: ffmpeg ended ({Error}); restarting in {Delay:0.#} s", _cameraId, _lastError ?? "no error", delay.TotalSeconds);
            try
            {
                await WaitBeforeRestartAsync(delay, ct);
            }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>
    /// Waits out the backoff, but when the camera was unreachable and its port starts answering again,
    /// restarts at once: a camera that comes back is recorded within a second or two, not after 30 s.
    /// </summary>
    private async Task WaitBeforeRestartAsync(TimeSpan delay, CancellationToken ct)
    {
        var until = _clock.GetUtcNow() + delay;
        var wasUnreachable = !await IsReachableAsync(ct);
        while (_clock.GetUtcNow() < until)
        {
            var step = TimeSpan.FromMilliseconds(Math.Min(1000, (until - _clock.GetUtcNow()).TotalMilliseconds));
            if (step <= TimeSpan.Zero) break;
            await Task.Delay(step, _clock, ct);
            if (wasUnreachable && await IsReachableAsync(ct)) return;
        }
    }

    private async Task<bool> IsReachableAsync(CancellationToken ct)
    {
        if (_source.Kind == SourceKind.File) return File.Exists(_source.Address);
        var uri = new Uri(_source.Address);
        var port = uri.Port > 0 ? uri.Port : uri.Scheme switch { "rtsp" => 554, "rtsps" => 322, "https" => 443, _ => 80 };
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(uri.Host, port, timeout.Token);
            return true;
        }
        catch (Exception) when (!ct.IsCancellationRequested) { return false; }
    }

    private async Task RunOnceAsync(CancellationToken ct)
    {
        var incoming = _layout.IncomingDir(_cameraId);
        Directory.CreateDirectory(incoming);
        var runId = _clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture);
        var listFile = Path.Combine(incoming, $"run-{runId}.csv");
        var pattern = Path.Combine(incoming, $"run-{runId}-%06d.mp4");
        var mask = await MaskAsync(ct);
        // Live from the segments being written unless the live picture differs from the stored one (a mask that
        // only live gets) or the pipe is asked for: then ffmpeg writes a second, live output (docs/decisions.md).
        var pipeLive = _tuning.Live && (mask is { Critical: false } || !_tuning.LiveFromSegments);
        var args = RecordCommand.Build(_source, _transport, pattern, listFile, pipeLive, mask, _tuning.FragmentDuration);

        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in ChildProcess.TiedToParent(_ffmpeg.FfmpegPath, args)) psi.ArgumentList.Add(a);
        _log.LogDebug("Camera {Camera}: starting {Command}", _cameraId, RecordCommand.ForLog(args));

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg did not start");
        await File.WriteAllTextAsync(Path.Combine(incoming, "ffmpeg.pid"), process.Id.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
        var run = new RunState(this, runId, incoming, listFile);
        _killedByWatchdog = false;
        lock (_gate)
        {
            _processRunning = true;
            _framesThisRun = false;
            _fps = 0;
            _kbps = 0;
            _runStarted = _clock.GetUtcNow();
            _process = process;
            _run = run;
        }
        var stderrTail = new Queue<string>();
        // stderr carries both -progress blocks and ffmpeg's log; only the log feeds the error tail. Its own thread,
        // reading synchronously: one wake-up per report, where an async pipe read wakes the socket engine's thread
        // and then a pool thread (docs/benchmarks.md, 2026-12-03).
        var stderrTask = Task.Factory.StartNew(() =>
        {
            var progress = new ProgressParser();
            while (process.StandardError.ReadLine() is { } line)
            {
                if (ProgressParser.IsProgressLine(line))
                {
                    if (progress.Feed(line) is { } report) run.OnProgress(report);
                    continue;
                }
                var clean = SourceUrl.Redact(line.Trim());
                if (clean.Length == 0) continue;
                lock (stderrTail)
                {
                    stderrTail.Enqueue(clean);
                    if (stderrTail.Count > 20) stderrTail.Dequeue();
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // Its own thread: every read completes synchronously there (see IdleBatchingStream), no pool hop per read.
        using var segmentTail = _tuning.Live && !pipeLive ? new SegmentTail(_live, incoming, $"run-{runId}-", _log, _clock) : null;
        var liveTask = pipeLive
            ? Task.Factory.StartNew(() => PumpLiveAsync(process.StandardOutput.BaseStream), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()
            : Task.CompletedTask;

        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Closing stdin makes the wrapper send SIGTERM, so ffmpeg finishes the current fragment.
            process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); await process.WaitForExitAsync(CancellationToken.None); }
        }
        finally
        {
            await Task.WhenAll(stderrTask, liveTask).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
            // Say why before anything else reads the health: the offline event takes its reason from here.
            if (!ct.IsCancellationRequested && !_killedByWatchdog) SetError(ExitReason(stderrTail, process.ExitCode));
            lock (_gate)
            {
                _processRunning = false;
                _process = null;
                _run = null;
            }
            segmentTail?.Dispose();
            _live.EndRun();
            await _collecting.ContinueWith(_ => { }, TaskScheduler.Default);
            // Everything this run wrote is finalized, including the last, unfinished segment.
            await run.DrainAsync();
            File.Delete(Path.Combine(incoming, "ffmpeg.pid"));
            File.Delete(listFile);
        }

        string[] tail;
        lock (stderrTail) tail = stderrTail.ToArray();
        if (tail.Length > 0 && !ct.IsCancellationRequested)
            _log.LogWarning("Camera {Camera}: ffmpeg exited with code {Code}: {Tail}", _cameraId, process.ExitCode, string.Join(" | ", tail.TakeLast(3)));
    }

    /// <summary>
    /// The privacy mask for this run, or null when nothing needs one (no masks; or not critical and no live output,
    /// since stored segments of other cameras stay unmasked). The mask is rasterised at the stream's size, probed once
    /// with a one-frame grab; if that fails the run fails like any unreachable camera: never a run without the mask.
    /// The size is kept for the recorder's life: a camera that changes resolution is scaled back to it (see the filter).
    /// </summary>
    private async Task<RecordMask?> MaskAsync(CancellationToken ct)
    {
        if (PrivacyMask.From(_privacy.Masks) is not { } mask || !(_privacy.Critical || _tuning.Live)) return null;
        if (_frameSize is null)
        {
            var frame = await FrameGrab.GrabAsync(_ffmpeg.FfmpegPath, _source, _transport, TimeSpan.FromSeconds(10), ct);
            // The size holds the picture steady for the mask across resolution changes (PrivacyMask.FilterGraph).
            _frameSize = frame.Width > 1 && frame.Height > 1 ? (frame.Width, frame.Height)
                : throw new SourceException("the stream's frame size could not be read; it is needed for the privacy mask.");
        }
        var dir = _layout.PrivacyDir(_cameraId);
        var file = mask.WriteFile(dir, _frameSize.Value.Width, _frameSize.Value.Height);
        mask.RemoveOthers(dir);
        return new RecordMask(file, _privacy.Critical, _frameSize);
    }

    /// <summary>
    /// Reads ffmpeg's live output into the channel until it ends. It never waits on viewers (the channel drops for
    /// slow ones), and if the stream cannot be parsed it is still drained: a full stdout pipe would stall ffmpeg and
    /// with it the recording.
    /// </summary>
    private async Task PumpLiveAsync(Stream stdout)
    {
        // A 1 MiB pipe (default 64 KiB) absorbs a keyframe burst or a pause of this reader (GC, busy pool), and lets
        // it read in batches while nobody watches.
        var pipeSize = stdout is System.IO.Pipes.PipeStream pipe ? Posix.SetPipeSize(pipe.SafePipeHandle, 1 << 20) : null;
        if (pipeSize is null) _log.LogDebug("Camera {Camera}: could not enlarge the live pipe", _cameraId);
        var idlePause = pipeSize >= 1 << 20 ? _tuning.LiveIdleReadPause : TimeSpan.Zero;
        try
        {
            var batching = new IdleBatchingStream(stdout, () => _live.Viewers == 0, idlePause, Thread.Sleep);
            // Nobody watching: only keyframes are copied (snapshots), the rest is skipped without allocating.
            var reader = new Fmp4StreamReader(new BufferedStream(batching, 64 * 1024), keepDeltaFrames: () => _live.Viewers > 0);
            while (await reader.ReadAsync() is { } piece)
            {
                if (piece is LiveInit init) _live.PublishInit(init);
                else if (piece is LiveFragment fragment) _live.Publish(fragment);
                else _live.PublishSkipped();
            }
        }
        catch (InvalidDataException e)
        {
            _log.LogWarning("Camera {Camera}: live output unreadable ({Error}); live view off until the next run", _cameraId, e.Message);
            _live.EndRun();
            try { await stdout.CopyToAsync(Stream.Null); }
            catch (IOException) { }
        }
        catch (IOException) { } // ffmpeg gone
    }

    /// <summary>
    /// Without viewers the live output is read in batches, 4 times a second, instead of at every frame: per-frame
    /// wake-ups of 25 fps cameras cost the server more than the recording (measured in docs/benchmarks.md). A 1 MiB
    /// pipe holds 250 ms of video up to ~32 Mb/s; the GOP cache still fills, so a first viewer starts at once.
    /// </summary>

    private static string ExitReason(Queue<string> stderrTail, int exitCode)
    {
        string[] tail;
        lock (stderrTail) tail = stderrTail.ToArray();
        return Summarize(tail, exitCode);
    }

    private static readonly string[] Causes =
    [
        "refused", "401", "Unauthorized", "403", "404", "Invalid data", "timed out", "No such file", "not found",
        "No route", "unreachable", "Name or service not known", "reset by peer", "End of file", "Permission denied",
    ];

    /// <summary>
    /// Why a run ended, for people: the last ffmpeg line that names a cause; else, for exit code 0, the camera ended
    /// the stream (start-up warnings such as "Non-monotonous DTS" are not the reason).
    /// </summary>
    internal static string Summarize(IReadOnlyList<string> lines, int exitCode)
    {
        foreach (var l in lines.Reverse())
            if (Causes.Any(c => l.Contains(c, StringComparison.OrdinalIgnoreCase)))
                return l;
        if (exitCode == 0) return "the source ended the stream";
        return lines.Count > 0 ? lines[^1] : $"ffmpeg exited with code {exitCode}";
    }

    private void SetError(string message)
    {
        lock (_gate) _lastError = SourceUrl.Redact(message);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    /// <summary>State of one ffmpeg run: progress-derived health and the segments it has completed.</summary>
    private sealed class RunState(CameraRecorder owner, string runId, string incoming, string listFile)
    {
        private long _lastFrames = -1;
        private DateTimeOffset _lastReportAt;
        private long _lastBytes;
        private int _completed;           // segments of this run already finalized
        private long _listOffset;
        private DateTimeOffset? _anchor;  // wall-clock time of stream time zero
        private TimeSpan _lastEnd;

        public DateTimeOffset? LastFrameAt { get; private set; }

        public void OnProgress(ProgressReport r)
        {
            var now = owner._clock.GetUtcNow();
            // Until the first segment completes, bitrate comes from the growing file; after that from whole segments
            // (no stat per report: per-camera syscalls add up over thousands of cameras).
            var early = Volatile.Read(ref _completed) == 0;
            var bytes = early ? CurrentSegmentSize() : 0;
            if (_lastFrames >= 0 && now > _lastReportAt)
            {
                var dt = (now - _lastReportAt).TotalSeconds;
                var fps = (r.Frames - _lastFrames) / dt;
                lock (owner._gate)
                {
                    owner._fps = owner._fps == 0 ? fps : 0.7 * owner._fps + 0.3 * fps;
                    if (early) owner._kbps = Math.Max(0, bytes - _lastBytes) * 8 / 1000.0 / dt;
                }
            }
            if (r.Frames > _lastFrames && r.Frames > 0)
            {
                var first = LastFrameAt is null;
                LastFrameAt = now;
                lock (owner._gate)
                {
                    owner._lastFrameAt = now;
                    owner._framesThisRun = true;
                    if (first) owner._lastError = null; // video flows again: the previous run's error no longer applies
                }
            }
            _lastFrames = r.Frames;
            _lastReportAt = now;
            _lastBytes = bytes;
        }

        private long CurrentSegmentSize()
        {
            var f = new FileInfo(SegmentPath(Volatile.Read(ref _completed)));
            return f.Exists ? f.Length : 0;
        }

        private string SegmentPath(int n) => Path.Combine(incoming, $"run-{runId}-{n:D6}.mp4");

        /// <summary>Finalizes what the list names, then the trailing segment ffmpeg did not get to close.</summary>
        public async Task DrainAsync()
        {
            await ReadListAsync();
            var trailing = SegmentPath(_completed);
            if (File.Exists(trailing))
            {
                var start = _anchor is { } a ? a + _lastEnd : Posix.BirthTime(trailing) ?? owner._clock.GetUtcNow();
                await FinalizeSafeAsync(trailing, start, null);
            }
        }

        private readonly SemaphoreSlim _reading = new(1, 1);

        /// <summary>Finalizes, in order, the segments ffmpeg's list names that are not done yet.</summary>
        public async Task ReadListAsync()
        {
            await _reading.WaitAsync();
            try { await ReadNewListLinesAsync(); }
            catch (Exception e) { owner._log.LogError(e, "Camera {Camera}: reading the segment list failed", owner._cameraId); }
            finally { _reading.Release(); }
        }

        private async Task ReadNewListLinesAsync()
        {
            var info = new FileInfo(listFile);
            if (!info.Exists || info.Length <= _listOffset) return; // one stat a second; opened only when a segment completed
            string text;
            // A synchronous read of a few lines: an async FileStream read is a thread-pool hop per segment (measured).
            using (var fs = new FileStream(listFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None))
            {
                if (fs.Length <= _listOffset) return;
                fs.Seek(_listOffset, SeekOrigin.Begin);
                using var reader = new StreamReader(fs);
                text = reader.ReadToEnd();
            }
            var lastNewline = text.LastIndexOf('\n');
            if (lastNewline < 0) return;
            _listOffset += System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, lastNewline + 1));
            foreach (var line in text[..lastNewline].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!TryParseListLine(line, out var name, out var start, out var end)) continue;
                var path = Path.Combine(incoming, name);
                var wallStart = WallClock(path, start, end);
                var size = File.Exists(path) ? new FileInfo(path).Length : 0;
                await FinalizeSafeAsync(path, wallStart, end - start);
                if (end > start)
                {
                    var kbps = size * 8 / 1000.0 / (end - start).TotalSeconds;
                    lock (owner._gate) owner._kbps = Volatile.Read(ref _completed) == 0 ? kbps : 0.5 * owner._kbps + 0.5 * kbps;
                }
                _lastEnd = end;
                Interlocked.Increment(ref _completed);
            }
        }

        /// <summary>
        /// Stream time is continuous within a run, so segments chain without gaps; the anchor to wall-clock
        /// comes from the file's birth time, and is re-taken if the camera clock drifts by more than 2 s.
        /// </summary>
        private DateTimeOffset WallClock(string path, TimeSpan start, TimeSpan end)
        {
            var born = File.Exists(path) ? Posix.BirthTime(path) : null;
            var observed = born ?? (File.Exists(path) ? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero) - (end - start) : owner._clock.GetUtcNow());
            if (_anchor is null || Math.Abs((observed - (_anchor.Value + start)).TotalSeconds) > 2)
                _anchor = observed - start;
            return _anchor.Value + start;
        }

        private async Task FinalizeSafeAsync(string path, DateTimeOffset start, TimeSpan? duration)
        {
            try
            {
                await owner._finalizer.FinalizeAsync(owner._cameraId, path, start, duration);
            }
            catch (Exception e)
            {
                // Leave the file in .incoming: the next start's reconcile picks it up.
                owner._log.LogError(e, "Camera {Camera}: could not finalize segment {File}", owner._cameraId, Path.GetFileName(path));
            }
        }

        internal static bool TryParseListLine(string line, out string name, out TimeSpan start, out TimeSpan end)
        {
            name = "";
            start = end = default;
            var parts = line.Trim().Split(',');
            if (parts.Length < 3) return false;
            if (!double.TryParse(parts[^2], NumberStyles.Float, CultureInfo.InvariantCulture, out var s)) return false;
            if (!double.TryParse(parts[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var e)) return false;
            name = Path.GetFileName(string.Join(',', parts[..^2]));
            start = TimeSpan.FromSeconds(s);
            end = TimeSpan.FromSeconds(e);
            return name.Length > 0;
        }
    }
}
