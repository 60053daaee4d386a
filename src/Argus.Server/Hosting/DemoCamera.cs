using System.Diagnostics;
using Argus.Core.Cameras;
using Argus.Media.Ffmpeg;
using Microsoft.Extensions.Options;

namespace Argus.Server.Hosting;

/// <summary>
/// For `argus serve --demo`: when no camera exists, adds one looping a clip, either the one given
/// (--demo-clip) or a synthetic scene with moving objects that ffmpeg renders once into data/demo.
/// </summary>
public sealed class DemoCamera(IConfiguration config, ICameraStore cameras, ArgusPaths paths, IOptions<FfmpegOptions> ffmpeg, TimeProvider clock,
    ILogger<DemoCamera> log)
{
    public async Task AddIfRequestedAsync(CancellationToken ct)
    {
        if (!config.GetValue<bool>("demo") || (await cameras.ListAsync(ct)).Count > 0) return;
        var clip = config["demo-clip"];
        if (string.IsNullOrEmpty(clip))
            clip = await RenderSyntheticAsync(ct);
        else if (!File.Exists(clip))
            throw new FileNotFoundException($"--demo-clip {clip} does not exist");
        var camera = new CameraConfig
        {
            Id = CameraId.New(), Name = "Demo camera", Main = SourceUrl.Parse(Path.GetFullPath(clip)),
            Description = "Added by --demo", CreatedAt = clock.GetUtcNow(),
        };
        await cameras.AddAsync(camera, ct);
        log.LogInformation("Demo camera {Camera} added, looping {Clip}", camera.Id, clip);
    }

    private async Task<string> RenderSyntheticAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(paths.Demo);
        var output = Path.Combine(paths.Demo, "demo-scene.mp4");
        if (File.Exists(output)) return output;
        // A test pattern with a clock, plus two boxes crossing it: motion to see, and a timestamp to check latency by eye.
        const string filter = "testsrc2=size=1280x720:rate=25,drawbox=x='mod(t*160,1280)':y=420:w=140:h=90:color=red@0.9:t=fill," +
                              "drawbox=x='1280-mod(t*90,1280)':y=200:w=60:h=140:color=yellow@0.9:t=fill";
        var psi = new ProcessStartInfo(ffmpeg.Value.FfmpegPath) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", filter, "-t", "60",
                     "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-y", output + ".tmp.mp4" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = await p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0) throw new InvalidOperationException("could not render the demo clip: " + err);
        File.Move(output + ".tmp.mp4", output);
        return output;
    }
}
