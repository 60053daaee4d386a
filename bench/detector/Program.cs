using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Argus.Vision.Detection;
using Microsoft.ML.OnnxRuntime;

// Raw ONNX Runtime against DetectorService on the same decoded frames, interleaved rounds (A B C, A B C, ...):
//   A raw: one session (same options), the same Letterbox into one buffer, session.Run per frame in a loop.
//   B service, pipelined: a camera thread letterboxes and submits whenever a queue slot is free (never dropping).
//   C service, one at a time: submit, wait for the callback, next (the pure per-request overhead).
var frames = Arg("--frames", 300);
var rounds = Arg("--rounds", 3);
var threads = Arg("--threads", 2);
const int W = 640, H = 360;
var assets = Assets();
var model = Path.Combine(assets, "models", "yolox_nano.onnx");
var video = Path.Combine(assets, "videos", "traffic_cam_multilane.mp4");

var frameLength = Letterbox.FrameLength(W, H);
var data = Decode(video, frames, W, H);
frames = data.Length / frameLength;
Console.WriteLine($"{frames} frames {W}x{H} I420 decoded; model {Path.GetFileName(model)}, {threads} intra-op threads, {Environment.ProcessorCount} cores");

var options = new DetectorOptions { ModelPath = model, IntraOpThreads = threads };
using var service = new DetectorService(options);
var letterbox = new Letterbox(service.Model!.Preprocess);

using var session = new InferenceSession(model, DetectorModel.CreateSessionOptions(threads));
var input = new float[service.InputLength];
var output = new float[service.Model.OutputLength];
using var inValue = OrtValue.CreateTensorValueFromMemory(input, [1, 3, service.Model.InputHeight, service.Model.InputWidth]);
using var outValue = OrtValue.CreateTensorValueFromMemory(output, [1, service.Model.Anchors, 5 + service.Model.ClassCount]);
using var runOptions = new RunOptions();
string[] inNames = [session.InputMetadata.Keys.First()], outNames = [session.OutputMetadata.Keys.First()];
OrtValue[] ins = [inValue], outs = [outValue];

double[] Raw(int n)
{
    var ms = new double[n];
    for (var i = 0; i < n; i++)
    {
        var t = Stopwatch.GetTimestamp();
        letterbox.Run(data.AsSpan((i % frames) * frameLength, frameLength), W, H, PixelRect.Whole(W, H), input);
        session.Run(runOptions, inNames, ins, outNames, outs);
        ms[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
    }
    return ms;
}

double[] Service(int n, int inFlight)
{
    var ms = new double[n];
    using var slots = new SemaphoreSlim(inFlight);
    using var done = new CountdownEvent(n);
    var dropped = 0;
    var camera = new Thread(() =>
    {
        for (var i = 0; i < n; i++)
        {
            slots.Wait();
            var t = Stopwatch.GetTimestamp();
            var buffer = service.RentInput();
            var mapping = service.Letterbox.Run(data.AsSpan((i % frames) * frameLength, frameLength), W, H, PixelRect.Whole(W, H), buffer);
            var index = i;
            service.TrySubmit(new DetectionRequest("bench", buffer, mapping, r =>
            {
                ms[index] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (r.Status != DetectionStatus.Detected) Interlocked.Increment(ref dropped);
                slots.Release();
                done.Signal();
            }));
        }
    }) { Name = "camera" };
    camera.Start();
    done.Wait();
    camera.Join();
    if (dropped > 0) throw new InvalidOperationException($"{dropped} requests dropped: the bench must not drop");
    return ms;
}

// Warm-up of both paths (JIT, ORT arenas).
Raw(20);
Service(20, 1);

var modes = new (string Name, Func<double[]> Run)[]
{
    ("raw", () => Raw(frames)),
    ("service", () => Service(frames, 4)),
    ("service_seq", () => Service(frames, 1)),
};
var results = modes.ToDictionary(m => m.Name, _ => new List<(double Fps, double[] Ms)>());
for (var r = 0; r < rounds; r++)
{
    foreach (var (name, run) in modes)
    {
        var sw = Stopwatch.StartNew();
        var ms = run();
        sw.Stop();
        results[name].Add((frames / sw.Elapsed.TotalSeconds, ms));
        Console.WriteLine($"round {r + 1} {name,-12} {frames / sw.Elapsed.TotalSeconds,7:0.0} frames/s  p50 {Percentile(ms, 50),6:0.00} ms  p95 {Percentile(ms, 95),6:0.00} ms");
    }
}

var summary = new Dictionary<string, object>
{
    ["bench"] = "detector", ["model"] = Path.GetFileName(model), ["frames"] = frames, ["rounds"] = rounds,
    ["threads"] = threads, ["cores"] = Environment.ProcessorCount,
};
double MedianFps(string name) => Median(results[name].Select(x => x.Fps));
foreach (var name in results.Keys)
{
    var all = results[name].SelectMany(x => x.Ms).ToArray();
    summary[name] = new { fps = Math.Round(MedianFps(name), 1), p50_ms = Math.Round(Percentile(all, 50), 2), p95_ms = Math.Round(Percentile(all, 95), 2) };
}
// Overhead = service time per frame / raw time per frame, paired within each round (the machine's load drifts
// between rounds more than the paths differ), median over rounds.
double Overhead(string name) => Median(Enumerable.Range(0, rounds).Select(r => results["raw"][r].Fps / results[name][r].Fps));
summary["overhead_pipelined"] = Math.Round(Overhead("service"), 3);
summary["overhead_sequential"] = Math.Round(Overhead("service_seq"), 3);
var stats = service.GetStats();
summary["service_mean_inference_ms"] = Math.Round(stats.MeanInferenceMs, 2);
Console.WriteLine($"overhead (service time / raw time): pipelined {summary["overhead_pipelined"]}, one at a time {summary["overhead_sequential"]}; service mean inference+decode {stats.MeanInferenceMs:0.00} ms, dropped {stats.Dropped}");
Console.WriteLine(JsonSerializer.Serialize(summary));
return 0;

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static double Percentile(double[] values, double p)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

static double Median(IEnumerable<double> values) => Percentile(values.ToArray(), 50);

static string Assets()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Argus.sln"))) dir = dir.Parent;
    if (dir is null) throw new InvalidOperationException("run from inside the Argus repository");
    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "assets"));
}

static byte[] Decode(string video, int frames, int w, int h)
{
    var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var a in new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-i", video, "-frames:v", frames.ToString(CultureInfo.InvariantCulture),
                 "-vf", $"scale={w}:{h}", "-pix_fmt", "yuv420p", "-f", "rawvideo", "-" })
        psi.ArgumentList.Add(a);
    using var p = Process.Start(psi)!;
    var err = p.StandardError.ReadToEndAsync();
    using var ms = new MemoryStream();
    p.StandardOutput.BaseStream.CopyTo(ms);
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException("ffmpeg failed: " + err.Result);
    return ms.ToArray();
}
