// Privacy-mask bench: what a privacy mask costs the recorder, measured on the real RecorderHost.
//
// The test bed serves two RTSP cameras without encoding: the recording bench's 1080p25 4 Mb/s clip (make_clip.sh)
// and the 640x360 traffic clip. Each camera is recorded, one at a time, for --seconds after --warmup, in three modes:
//   copy         no mask: stream copy to segments and live (today's recorder)
//   critical     privacy-critical with a mask: decode, mask, x264 once, tee to segments and live
//   masked-live  mask, not critical: segments stream copy, live output decoded, masked and x264-encoded
// CPU is utime+stime of the recorder's ffmpeg process tree (from /proc) over the window, as % of one core; the bench
// process's own CPU (live reading, segment finalizing) is reported apart. Bitrate is the recorder's segment bitrate.
//
// Usage: dotnet run -c Release --project bench/privacy -- [--seconds 60] [--warmup 15] [--out FILE.json]
using System.Diagnostics;
using System.Text.Json;
using Argus.Bench.Latency;
using Argus.Core.Cameras;
using Argus.Core.Geometry;
using Argus.Core.Privacy;
using Argus.Data;
using Argus.Data.Stores;
using Argus.Media.Ffmpeg;
using Argus.Media.Recording;
using Argus.Media.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

var seconds = Arg("--seconds", 60);
var warmup = Arg("--warmup", 15);
var outFile = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();
var repo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
while (!File.Exists(Path.Combine(repo, "Argus.sln"))) repo = Path.GetDirectoryName(repo) ?? throw new InvalidOperationException("repo root not found");

var hd = "/tmp/argus-bench/1080p25_4M.mp4";
Run(Path.Combine(repo, "tools/testbed/make_clip.sh"), hd, "1920x1080", "25", "4000", "60"); // skipped when it exists
var sd = Path.GetFullPath(Path.Combine(repo, "../shared/assets/videos/traffic_cam_multilane.mp4"));

// A pentagon over about a fifth of the frame: the shape, not its bounding box, is blacked out.
var mask = Polygon.Create([new(0.10, 0.10), new(0.50, 0.15), new(0.45, 0.60), new(0.20, 0.75), new(0.05, 0.40)]);
(string Name, CameraPrivacy Privacy)[] modes =
[
    ("copy", CameraPrivacy.None),
    ("critical", new CameraPrivacy([mask], Critical: true)),
    ("masked-live", new CameraPrivacy([mask], Critical: false)),
];

await using var bed = await TestBedProcess.StartAsync("--file", $"hd={hd}", "--file", $"sd={sd}");
var results = new List<Dictionary<string, object>>();
Console.WriteLine($"mask area {mask.Area:P0} of the frame; {warmup} s warm-up, {seconds} s window per run");
Console.WriteLine($"{"stream",-10} {"mode",-12} {"ffmpeg %core",12} {"bench %core",12} {"kb/s",8} {"restarts",8}");
foreach (var (stream, label) in new[] { ("hd", "1920x1080"), ("sd", "640x360") })
{
    foreach (var (name, privacy) in modes)
    {
        var r = await MeasureAsync(bed.Url(stream), privacy);
        results.Add(new() { ["stream"] = label, ["mode"] = name, ["ffmpeg_pct_core"] = r.Ffmpeg, ["bench_pct_core"] = r.Self, ["kbps"] = r.Kbps, ["restarts"] = r.Restarts });
        Console.WriteLine($"{label,-10} {name,-12} {r.Ffmpeg,12:0.0} {r.Self,12:0.0} {r.Kbps,8:0} {r.Restarts,8}");
    }
    double Cpu(string mode) => (double)results.Single(x => (string)x["stream"] == label && (string)x["mode"] == mode)["ffmpeg_pct_core"];
    Console.WriteLine($"{label}: critical / copy = {Cpu("critical") / Cpu("copy"):0.0}x, masked-live / copy = {Cpu("masked-live") / Cpu("copy"):0.0}x");
}
if (outFile is not null)
    await File.WriteAllTextAsync(outFile, JsonSerializer.Serialize(new { seconds, warmup, runs = results }, new JsonSerializerOptions { WriteIndented = true }));

async Task<(double Ffmpeg, double Self, double Kbps, int Restarts)> MeasureAsync(string url, CameraPrivacy privacy)
{
    var dir = Directory.CreateTempSubdirectory("argus-bench-privacy-").FullName;
    try
    {
        await using var services = new ServiceCollection().AddArgusSqlite(Path.Combine(dir, "argus.db")).BuildServiceProvider();
        var db = services.GetRequiredService<IDbContextFactory<ArgusDb>>();
        await Database.InitializeAsync(db);
        var layout = new RecordingLayout(Path.Combine(dir, "recordings"));
        var ffmpeg = Options.Create(new FfmpegOptions());
        var metrics = new RecordingMetrics();
        var finalizer = new SegmentFinalizer(layout, new MediaProbe(ffmpeg), new SegmentIndex(db), metrics, NullLogger<SegmentFinalizer>.Instance);
        var host = new RecorderHost(layout, finalizer, ffmpeg, Options.Create(new RecorderTuning()), metrics, NullLoggerFactory.Instance,
            TimeProvider.System, new StorageGate(), new Fixed(privacy));
        await using (host)
        {
            var id = CameraId.New();
            await host.EnsureRecordingAsync(new CameraConfig { Id = id, Name = "bench", Main = SourceUrl.Parse(url) });
            await Task.Delay(TimeSpan.FromSeconds(warmup));
            var (ff0, self0, t0) = (ChildrenCpu(), Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, Stopwatch.GetTimestamp());
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var (ff1, self1, wall) = (ChildrenCpu(), Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, Stopwatch.GetElapsedTime(t0).TotalSeconds);
            var health = host.Health(id)!;
            return (100 * (ff1 - ff0) / wall, 100 * (self1 - self0) / wall, health.BitrateKbps, health.Restarts);
        }
    }
    finally { Directory.Delete(dir, recursive: true); }
}

// utime+stime of the recorder's processes (its /bin/sh wrapper and ffmpeg, not the test bed); direct children also
// count their reaped children (a restarted ffmpeg).
static double ChildrenCpu()
{
    var tick = 100.0; // USER_HZ on Linux
    double total = 0;
    var stack = new Stack<(int Pid, bool Direct)>(Children(Environment.ProcessId).Select(p => (p, true)));
    while (stack.TryPop(out var p))
    {
        try
        {
            if (File.ReadAllText($"/proc/{p.Pid}/comm").Trim() is not ("ffmpeg" or "sh")) continue;
            var f = File.ReadAllText($"/proc/{p.Pid}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            total += (long.Parse(f[11]) + long.Parse(f[12]) + (p.Direct ? long.Parse(f[13]) + long.Parse(f[14]) : 0)) / tick;
        }
        catch (IOException) { continue; }
        foreach (var c in Children(p.Pid)) stack.Push((c, false));
    }
    return total;
}

static IEnumerable<int> Children(int pid)
{
    foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
    {
        string text;
        try { text = File.ReadAllText(Path.Combine(task, "children")); }
        catch (IOException) { continue; }
        foreach (var c in text.Split(' ', StringSplitOptions.RemoveEmptyEntries)) yield return int.Parse(c);
    }
}

int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v ? int.Parse(v) : fallback;

static void Run(string file, params string[] arguments)
{
    var psi = new ProcessStartInfo(file) { UseShellExecute = false };
    foreach (var a in arguments) psi.ArgumentList.Add(a);
    using var p = Process.Start(psi)!;
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed");
}

sealed class Fixed(CameraPrivacy privacy) : ICameraPrivacy
{
    public Task<CameraPrivacy> ForCameraAsync(string cameraId, CancellationToken ct = default) => Task.FromResult(privacy);
}
