using System.Diagnostics;
using System.Globalization;
using Argus.Core.Cameras;
using Argus.Media.Ffmpeg;
using Argus.Media.Native;
using Microsoft.Extensions.Logging;

namespace Argus.Media.Analysis;

public sealed record AnalysisFeedOptions
{
    /// <summary>ffmpeg input options and <c>-i URL</c>, e.g. <c>-rtsp_transport tcp -i rtsp://...</c>.</summary>
    public required IReadOnlyList<string> InputArgs { get; init; }
    public int Width { get; init; } = 640;
    public int Height { get; init; } = 360;
    public double Fps { get; init; } = 5;

    /// <summary>Decode the input once and complete <see cref="AnalysisFeed.Completion"/> instead of restarting (offline files).</summary>
    public bool RunOnce { get; init; }

    /// <summary>
    /// When set, frame times are this + index / Fps instead of the wall clock at reception: offline files decode
    /// faster than real time, and accuracy needs the clip's own time.
    /// </summary>
    public DateTimeOffset? OfflineStart { get; init; }

    /// <summary>Decoder threads; one keeps a small substream cheap (frame threading adds latency and wake-ups).</summary>
    public int DecoderThreads { get; init; } = 1;

    /// <summary>
    /// Do not decode frames nothing else refers to (B-frames of most encoders): at 5 fps analysis they are not needed,
    /// and skipping them leaves every other frame exact. Halves the decode of a stream with B-frames.
    /// </summary>
    public bool SkipNonReferenceFrames { get; init; } = true;

    /// <summary>Skip H.264's deblocking filter: ~20 % less decode, at the price of blockier frames that drift until the next keyframe.</summary>
    public bool SkipLoopFilter { get; init; }

    /// <summary>
    /// Colour frames (I420: the gray Y plane, then the U and V planes at half size) instead of gray alone. Object
    /// detection needs colour; motion reads the Y plane either way, so a colour feed serves both at 1.5x the bytes.
    /// </summary>
    public bool Color { get; init; }

    /// <summary>Bytes of one frame on the pipe.</summary>
    public int FrameBytes => Color ? Width * Height * 3 / 2 : Width * Height;

    /// <summary>ffmpeg is killed and restarted when no frame came for this long while it runs.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <exception cref="ArgumentException">when the options cannot work.</exception>
    public void Validate()
    {
        if (InputArgs is null || !InputArgs.Contains("-i")) throw new ArgumentException("InputArgs must contain -i and the input.");
        if (Width < 16 || Height < 16 || Width > 4096 || Height > 4096 || Width % 2 != 0 || Height % 2 != 0)
            throw new ArgumentException("Width and Height must be even and between 16 and 4096.");
        if (!(Fps > 0 && Fps <= 60)) throw new ArgumentException("Fps must be in (0, 60].");
    }
}

/// <summary>
/// Receives decoded frames. Called on the feed's own thread; the span is only valid during the call. The frame starts
/// with the gray (Y) plane, width x height bytes; a colour feed's U and V planes follow it (I420).
/// </summary>
public interface IFrameSink
{
    void OnFrame(ReadOnlySpan<byte> frame, int width, int height, DateTimeOffset time);
}

/// <summary>
/// Supervises one ffmpeg that decodes a camera's analysis stream to raw gray frames at a low rate. A dedicated thread
/// reads stdout with synchronous reads into one reused buffer (async reads of an anonymous pipe cost a pool wake-up
/// each on Unix) and hands each frame to the sink. ffmpeg is restarted on any exit with backoff, unless RunOnce.
/// </summary>
public sealed class AnalysisFeed : IAsyncDisposable
{
    private const int StderrLinesPerMinute = 10;
    private readonly AnalysisFeedOptions _options;
    private readonly IFrameSink _sink;
    private readonly ILogger _log;
    private readonly byte[] _frame;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private Thread? _thread;
    private Process? _process;
    private long _frames;
    private long _lastFrameTicks;  // UTC ticks of the last frame's arrival, 0 = none
    private int _restarts;
    private string? _lastError;
    private bool _receiving;
    private int _stderrBudget = StderrLinesPerMinute;
    private long _stderrWindowStart;

    public AnalysisFeed(AnalysisFeedOptions options, IFrameSink sink, ILogger logger)
    {
        options.Validate();
        _options = options;
        _sink = sink;
        _log = logger;
        _frame = new byte[options.FrameBytes];
    }

    /// <summary>Raised (on the feed's thread) when frames start flowing (true) or stop (false).</summary>
    public event Action<bool>? HealthChanged;

    public bool Receiving => Volatile.Read(ref _receiving);
    public DateTimeOffset? LastFrame => Interlocked.Read(ref _lastFrameTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;
    public long Frames => Interlocked.Read(ref _frames);
    public int Restarts => Volatile.Read(ref _restarts);
    public string? LastError { get { lock (_gate) return _lastError; } }

    /// <summary>Process id of the current ffmpeg wrapper shell (tests kill its ffmpeg).</summary>
    internal int? WrapperPid { get { lock (_gate) return _process?.Id; } }

    /// <summary>Completes when a RunOnce feed has decoded its input (faults if ffmpeg failed), or after disposal.</summary>
    public Task Completion => _completion.Task;

    public void Start()
    {
        if (_thread is not null) throw new InvalidOperationException("already started");
        _thread = new Thread(Run) { IsBackground = true, Name = "analysis-feed" };
        _thread.Start();
    }

    /// <summary>The full ffmpeg command line after the program name (for logs and benchmarks).</summary>
    public static IReadOnlyList<string> BuildArgs(AnalysisFeedOptions o) =>
    [
        "-hide_banner", "-nostdin", "-loglevel", "error",
        "-threads", o.DecoderThreads.ToString(CultureInfo.InvariantCulture),
        .. (o.SkipNonReferenceFrames ? (string[])["-skip_frame", "noref"] : []),
        .. (o.SkipLoopFilter ? (string[])["-skip_loop_filter", "all"] : []),
        .. o.InputArgs,
        "-map", "0:v:0", "-an", "-sn", "-dn",
        // Decimate first so only the kept frames are scaled; fast_bilinear and gray keep the filter cost below the decode.
        "-vf", string.Create(CultureInfo.InvariantCulture, $"{Decimate(o)},scale={o.Width}:{o.Height}:flags=fast_bilinear,format={PixelFormat(o)}"),
        .. (o.OfflineStart is null ? (string[])["-fps_mode", "passthrough"] : []),
        "-pix_fmt", PixelFormat(o), "-f", "rawvideo", "pipe:1",
    ];

    private static string PixelFormat(AnalysisFeedOptions o) => o.Color ? "yuv420p" : "gray";

    /// <summary>
    /// Live: select, not fps. The fps filter holds frames back to pick the nearest to each tick (300 ms measured with a
    /// 10 fps camera), which is alert latency; select passes a frame on as soon as it is about one period after the last
    /// one kept. Offline (timestamps counted from the frame index) needs fps's exact rate instead.
    /// </summary>
    private static string Decimate(AnalysisFeedOptions o) => o.OfflineStart is null
        ? string.Create(CultureInfo.InvariantCulture, $"select=isnan(prev_selected_t)+gte(t-prev_selected_t\\,{0.95 / o.Fps:0.####})")
        : string.Create(CultureInfo.InvariantCulture, $"fps={o.Fps}");

    private void Run()
    {
        var failures = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var started = DateTimeOffset.UtcNow;
                var (framesThisRun, exitCode) = RunProcess();
                SetReceiving(false);
                if (_stop.IsCancellationRequested) break;
                if (_options.RunOnce)
                {
                    if (exitCode != 0 || framesThisRun == 0)
                        _completion.TrySetException(new InvalidOperationException($"ffmpeg exited with code {exitCode} after {framesThisRun} frames: {LastError ?? "no error output"}"));
                    return;
                }
                // Frames flowed: the next failure starts the backoff from the beginning again.
                if (framesThisRun > 0) failures = 0;
                var delay = TimeSpan.FromTicks(Math.Min(_options.BackoffMax.Ticks, _options.BackoffInitial.Ticks * (1L << Math.Min(failures, 20))));
                failures++;
                Interlocked.Increment(ref _restarts);
                _log.LogWarning("Analysis feed: ffmpeg ended (code {Code}, {Frames} frames, ran {Seconds:0.#} s): {Error}; restarting in {Delay:0.#} s",
                    exitCode, framesThisRun, (DateTimeOffset.UtcNow - started).TotalSeconds, LastError ?? "no error output", delay.TotalSeconds);
                if (_stop.Token.WaitHandle.WaitOne(delay)) break;
            }
        }
        catch (Exception e)
        {
            // Never out of the thread: a broken feed must not take the server down.
            _log.LogError(e, "Analysis feed stopped unexpectedly");
            _completion.TrySetException(e);
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private (long Frames, int ExitCode) RunProcess()
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var args = BuildArgs(_options);
        foreach (var a in ChildProcess.TiedToParent(_options.FfmpegPath, args)) psi.ArgumentList.Add(a);
        using var process = new Process { StartInfo = psi };
        process.ErrorDataReceived += (_, e) => OnStderr(e.Data);
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            SetError("cannot start ffmpeg: " + e.Message);
            return (0, -1);
        }
        process.BeginErrorReadLine();
        lock (_gate) _process = process;
        // Disposed while this ffmpeg was starting: DisposeAsync saw no process to stop, so stop it here.
        if (_stop.IsCancellationRequested)
        {
            try { process.StandardInput.Close(); } catch (IOException) { }
        }
        long frames = 0;
        var runStart = DateTimeOffset.UtcNow.UtcTicks;
        using var watchdog = new Timer(_ => KillIfStalled(process, runStart), null, _options.StallTimeout, _options.StallTimeout);
        var stdout = process.StandardOutput.BaseStream;
        // A frame is larger than the default 64 KiB pipe: a bigger one lets ffmpeg write it at once, one wake-up per frame.
        if (stdout is System.IO.Pipes.PipeStream pipe) Posix.SetPipeSize(pipe.SafePipeHandle, Math.Max(1 << 20, _frame.Length));
        var frameTime = TimeSpan.FromSeconds(1 / _options.Fps);
        try
        {
            while (ReadFrame(stdout))
            {
                var now = DateTimeOffset.UtcNow;
                Interlocked.Exchange(ref _lastFrameTicks, now.UtcTicks);
                var time = _options.OfflineStart is { } start ? start + (frameTime * Frames) : now;
                Interlocked.Increment(ref _frames);
                frames++;
                SetReceiving(true);
                try
                {
                    _sink.OnFrame(_frame, _options.Width, _options.Height, time);
                }
                catch (Exception e)
                {
                    _log.LogError(e, "Analysis feed: the frame sink failed; the feed goes on");
                }
            }
        }
        catch (IOException) { } // ffmpeg gone
        finally
        {
            lock (_gate) _process = null;
        }
        try { process.StandardInput.Close(); } catch (IOException) { }
        if (!process.WaitForExit(5000)) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return (frames, process.ExitCode);
    }

    private bool ReadFrame(Stream stdout)
    {
        var filled = 0;
        while (filled < _frame.Length)
        {
            var n = stdout.Read(_frame, filled, _frame.Length - filled);
            if (n == 0) return false;
            filled += n;
        }
        return true;
    }

    private void KillIfStalled(Process process, long runStartTicks)
    {
        var since = DateTimeOffset.UtcNow.UtcTicks - Math.Max(Interlocked.Read(ref _lastFrameTicks), runStartTicks);
        if (since < _options.StallTimeout.Ticks) return;
        SetError($"no frame for {TimeSpan.FromTicks(since).TotalSeconds:0} s");
        try { process.Kill(entireProcessTree: true); }
        catch (Exception e) { _log.LogDebug(e, "Analysis feed: could not kill a stalled ffmpeg"); } // a timer callback must not throw
    }

    private void OnStderr(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        var clean = SourceUrl.Redact(line.Trim());
        SetError(clean);
        var now = Environment.TickCount64;
        bool log;
        lock (_gate)
        {
            if (now - _stderrWindowStart > 60_000) { _stderrWindowStart = now; _stderrBudget = StderrLinesPerMinute; }
            log = _stderrBudget-- > 0;
        }
        if (log) _log.LogWarning("Analysis feed ffmpeg: {Line}", clean);
    }

    private void SetError(string message)
    {
        lock (_gate) _lastError = SourceUrl.Redact(message);
    }

    private void SetReceiving(bool value)
    {
        if (Volatile.Read(ref _receiving) == value) return;
        Volatile.Write(ref _receiving, value);
        try { HealthChanged?.Invoke(value); }
        catch (Exception e) { _log.LogError(e, "Analysis feed: a health handler failed"); }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Process? p;
        lock (_gate) p = _process;
        // Closing stdin makes the wrapper stop ffmpeg; the thread then sees end of file.
        try { p?.StandardInput.Close(); } catch (Exception e) when (e is IOException or InvalidOperationException) { }
        if (_thread is not null) await _completion.Task.ContinueWith(_ => { }, TaskScheduler.Default);
        else _completion.TrySetResult();
        _stop.Dispose();
    }
}
