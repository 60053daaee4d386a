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

    /// <summary>
    /// 70 s of the empty room with a "tree": a blotchy high-contrast texture (made by ffmpeg from noise, ~4 px leaves) over
    /// 21 % of the frame, swaying 5 px left-right and 2 px up-down at 0.7 Hz the whole time, plus sensor noise. From 40 s
    /// to 50 s a person-sized dark block (44 x 120) walks across the frame from left to right, through the tree.
    /// </summary>
    public static string SwayingTree() => Make("empty-room-tree.mp4", path => FromRoomStill(path,
        ["-f", "lavfi", "-i", "color=c=gray:s=72x43,format=gray,noise=alls=100:allf=u", "-vf", "scale=288:170:flags=bicubic,eq=contrast=1.3,format=gray"],
        (still, leaves) => ["-loop", "1", "-framerate", "10", "-t", "70", "-i", still, "-loop", "1", "-framerate", "10", "-i", leaves,
            "-f", "lavfi", "-i", "color=c=0x3a3a3a:s=44x120:r=10",
            "-filter_complex", "[0:v][1:v]overlay=x='40+5*sin(2*PI*0.7*t)':y='20+2*sin(2*PI*0.7*t+1)':shortest=1[a];" +
                "[a][2:v]overlay=x='-44+(t-40)*70':y=90:enable='between(t,40,50)':shortest=1,noise=alls=8:allf=t",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path]));

    /// <summary>Start (s) of each headlight sweep in <see cref="Headlights"/>; each lasts <see cref="SweepSeconds"/>.</summary>
    public static readonly double[] Sweeps = [15, 27, 39];
    public const double SweepSeconds = 1.5;
    public const double CarArrives = 52;

    /// <summary>
    /// 70 s of the empty room at night (brightness above black scaled to 22 %) with sensor noise. Headlights sweep across
    /// the wall at <see cref="Sweeps"/>: a soft patch (gaussian, sigma 110 px across, 100 px up-down, ~40 % of the width at
    /// half height) that multiplies the scene's light by up to 4, crossing the whole frame left to right in 1.5 s. At
    /// <see cref="CarArrives"/> a car (200 x 90 grey block with two lamps) drives in from the right in 4 s, its own light
    /// patch ahead of it on the wall, and parks; its lights go off at 60 s.
    /// </summary>
    public static string Headlights()
    {
        const string carX = "max(280,640-(T-52)*90)";
        static string Patch(string centre) => $"exp(-pow(X-({centre}),2)/24200-pow(Y-150,2)/20000)";
        var light = string.Concat(Sweeps.Select(a => FormattableString.Invariant($"+if(between(T,{a},{a + SweepSeconds}),{Patch(FormattableString.Invariant($"-250+(T-{a})*{1140 / SweepSeconds}"))},0)")))
            + $"+if(between(T,52,60),{Patch(carX + "-180")},0)";
        return Make("night-room-headlights.mp4", path => FromRoomStill(path,
            ["-f", "lavfi", "-i", "color=c=0x585858:s=200x90", "-vf", "drawbox=x=4:y=50:w=24:h=14:color=white:t=fill,drawbox=x=172:y=50:w=24:h=14:color=white:t=fill"],
            (still, car) => ["-loop", "1", "-framerate", "10", "-t", "70", "-i", still, "-loop", "1", "-framerate", "10", "-i", car,
                "-filter_complex", $"[0:v]format=gray,geq=lum='16+(lum(X,Y)-16)*0.22*(1+3*(0{light}))',format=yuv420p[a];" +
                    $"[a][1:v]overlay=x='{carX.Replace('T', 't')}':y=200:enable='between(t,52,70)':shortest=1,noise=alls=8:allf=t",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path]));
    }

    /// <summary>Makes the room's still (the one-by-one clip at 2 s, 640 x 360) and a second picture, then the clip from both.</summary>
    private static void FromRoomStill(string path, string[] makeSecond, Func<string, string, string[]> makeClip)
    {
        var still = path + ".png";
        var second = path + ".2.png";
        Fixtures.Ffmpeg("-ss", "2", "-i", Fixtures.Asset("videos/intel_one-by-one-person-detection.mp4"), "-frames:v", "1", "-vf", "scale=640:360", still);
        Fixtures.Ffmpeg([.. makeSecond, "-frames:v", "1", second]);
        Fixtures.Ffmpeg(makeClip(still, second));
        File.Delete(still);
        File.Delete(second);
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
