using System.Globalization;
using Argus.Media.Analysis;
using Argus.Vision.Motion;
using Argus.Vision.Tamper;
using Microsoft.Extensions.Logging.Abstractions;

// argus-bench-motion [--fps 5] [--width 640 --height 360] [--input-args "..."] URL...
// Runs one analysis pipeline per URL until SIGTERM/SIGINT, then prints per-camera counts as JSON lines.
var fps = 5.0;
int width = 640, height = 360;
var extra = new List<string>();
var urls = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--fps": fps = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--width": width = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--height": height = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--input-args": extra.AddRange(args[++i].Split(' ', StringSplitOptions.RemoveEmptyEntries)); break;
        default: urls.Add(args[i]); break;
    }
}
if (urls.Count == 0)
{
    Console.Error.WriteLine("usage: argus-bench-motion [--fps 5] [--width 640 --height 360] [--input-args \"...\"] URL...");
    return 2;
}

var cameras = urls.Select(u => new Camera(width, height)).ToList();
var feeds = urls.Select((u, i) => new AnalysisFeed(new AnalysisFeedOptions
{
    InputArgs = [.. extra, "-rtsp_transport", "tcp", "-i", u], Width = width, Height = height, Fps = fps,
}, cameras[i], NullLogger.Instance)).ToList();
using var stop = new ManualResetEventSlim();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Set(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Set();
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Set(); });
foreach (var f in feeds) f.Start();
Console.WriteLine("STARTED");
stop.Wait();
for (var i = 0; i < feeds.Count; i++)
{
    var c = cameras[i];
    Console.WriteLine($"{{\"camera\":{i},\"frames\":{feeds[i].Frames},\"motion_frames\":{c.MotionFrames},\"events\":{c.Events},\"tamper\":{c.Tamper},\"restarts\":{feeds[i].Restarts}}}");
    await feeds[i].DisposeAsync();
}
return 0;

/// <summary>What the server will run per camera: motion, events, tamper.</summary>
internal sealed class Camera(int width, int height) : IFrameSink
{
    private readonly MotionDetector _motion = new(width, height, new MotionSettings());
    private readonly MotionEventTracker _tracker = new();
    private readonly TamperDetector _tamper = new(width, height);
    public int MotionFrames;
    public int Events;
    public int Tamper;

    public void OnFrame(ReadOnlySpan<byte> gray, int w, int h, DateTimeOffset time)
    {
        var r = _motion.Process(gray, time);
        if (r.Motion) MotionFrames++;
        if (_tracker.Update(r.Motion, r.ChangedFraction, time).Kind == MotionTransitionKind.Started) Events++;
        if (_tamper.Process(gray, time).Transition == TamperTransition.Started) Tamper++;
    }
}
