using Argus.Media.Tests;

namespace Argus.Vision.Tests;

/// <summary>Clips made at test time from real footage (into a temp folder, never committed).</summary>
internal static class SyntheticClips
{
    private static readonly string Dir = Path.Combine(Path.GetTempPath(), "argus-vision-clips");
    private static readonly object Gate = new();

    /// <summary>
    /// 70 s of the empty room of the one-by-one clip (its frame at 2 s) with sensor noise and lighting only:
    /// "flicker" = irregular brightness wobble of a few percent; "dawn" = brightness and contrast rising slowly from dim.
    /// </summary>
    public static string EmptyRoom(string lighting)
    {
        var eq = lighting switch
        {
            "flicker" => "eq=brightness='0.05*sin(2*PI*1.3*t)+0.03*sin(2*PI*0.37*t)':eval=frame",
            "dawn" => "eq=brightness='-0.35+0.35*min(t/60,1)':contrast='0.6+0.4*min(t/60,1)':eval=frame",
            _ => throw new ArgumentException(lighting),
        };
        return Make($"empty-room-{lighting}.mp4", path =>
        {
            var still = path + ".png";
            Fixtures.Ffmpeg("-ss", "2", "-i", Fixtures.Asset("videos/intel_one-by-one-person-detection.mp4"), "-frames:v", "1", still);
            Fixtures.Ffmpeg("-loop", "1", "-framerate", "10", "-t", "70", "-i", still,
                "-vf", $"scale=640:360,{eq},noise=alls=8:allf=t", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path);
            File.Delete(still);
        });
    }

    /// <summary>The traffic clip with a tamper from 15 s to 30 s: covered (dark cloth), defocused (blur) or turned away (another view).</summary>
    public static string Tampered(string kind)
    {
        var traffic = Fixtures.Asset("videos/traffic_cam_multilane.mp4");
        return Make($"traffic-{kind}.mp4", path =>
        {
            const string during = "enable='between(t,15,30)'";
            if (kind == "turned")
            {
                // 15 s of traffic, then the camera looks at a room instead (the one-by-one clip: empty, then a person walks in).
                Fixtures.Ffmpeg("-t", "15", "-i", traffic, "-t", "20", "-i", Fixtures.Asset("videos/intel_one-by-one-person-detection.mp4"),
                    "-filter_complex", "[0:v]fps=25,scale=640:360,setsar=1[a];[1:v]fps=25,scale=640:360,setsar=1[b];[a][b]concat=n=2:v=1[v]",
                    "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path);
                return;
            }
            var vf = kind switch
            {
                "covered" => $"drawbox=x=0:y=0:w=iw:h=ih:color=0x181818:t=fill:{during},noise=alls=6:allf=t",
                "defocused" => $"gblur=sigma=10:{during}",
                _ => throw new ArgumentException(kind),
            };
            Fixtures.Ffmpeg("-t", "40", "-i", traffic, "-vf", vf, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path);
        });
    }

    private static string Make(string name, Action<string> make)
    {
        var path = Path.Combine(Dir, name);
        lock (Gate)
        {
            if (File.Exists(path)) return path;
            Directory.CreateDirectory(Dir);
            // Made under a temporary name, so an interrupted run never leaves a half clip behind.
            var temp = path + ".part.mp4";
            make(temp);
            File.Move(temp, path, overwrite: true);
            return path;
        }
    }
}
