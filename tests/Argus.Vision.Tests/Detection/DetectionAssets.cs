using Argus.Media.Tests;
using Argus.Vision.Detection;

namespace Argus.Vision.Tests.Detection;

/// <summary>Shared assets decoded to I420 once per test run (ffmpeg to a temp file, read back).</summary>
internal static class DetectionAssets
{
    private static readonly Lazy<(byte[] Frame, int Width, int Height)> DogFrame = new(() => Decode(Fixtures.Asset("images/yolox_dog.jpg"), 768, 576));

    public static string Yolox => Fixtures.Asset("models/yolox_nano.onnx");

    public static DetectorOptions Options(float threshold = 0.35f) => new() { ModelPath = Yolox, ScoreThreshold = threshold };

    /// <summary>yolox_dog.jpg (768x576) as I420.</summary>
    public static (byte[] Frame, int Width, int Height) Dog => DogFrame.Value;

    public static (byte[] Frame, int Width, int Height) Decode(string image, int width, int height)
    {
        var path = Path.Combine(Path.GetTempPath(), $"argus-detect-{Guid.NewGuid():N}.yuv");
        try
        {
            Fixtures.Ffmpeg("-i", image, "-vf", $"scale={width}:{height}", "-frames:v", "1", "-pix_fmt", "yuv420p", "-f", "rawvideo", path);
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(Letterbox.FrameLength(width, height), bytes.Length);
            return (bytes, width, height);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
