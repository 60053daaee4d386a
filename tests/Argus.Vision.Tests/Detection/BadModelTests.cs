using Argus.Media.Tests;
using Argus.Vision.Detection;
using Xunit.Abstractions;

namespace Argus.Vision.Tests.Detection;

/// <summary>Models that cannot be used are refused when opened, with a message an API user can act on.</summary>
public sealed class BadModelTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Fixtures.TempDir();

    public void Dispose() => Directory.Delete(_dir, true);

    private DetectorModelException Refused(string path)
    {
        var e = Assert.Throws<DetectorModelException>(() => new ObjectDetector(new DetectorOptions { ModelPath = path }));
        output.WriteLine(e.Message);
        Assert.Contains(path, e.Message);
        return e;
    }

    [Fact]
    public void Missing_file()
    {
        var e = Refused(Path.Combine(_dir, "nope.onnx"));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Truncated_model()
    {
        var path = Path.Combine(_dir, "truncated.onnx");
        var bytes = File.ReadAllBytes(DetectionAssets.Yolox);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        Assert.Contains("could not be loaded as an ONNX model", Refused(path).Message);
    }

    [Fact]
    public void Text_file()
    {
        var path = Path.Combine(_dir, "notes.onnx");
        File.WriteAllText(path, "this is not a model\n");
        Assert.Contains("could not be loaded as an ONNX model", Refused(path).Message);
    }

    [Fact]
    public void Ocr_model_is_not_a_detector_layout()
    {
        var path = Fixtures.Asset("models/en_number_mobile_v2.0_rec_infer.onnx");
        var e = Refused(path);
        Assert.Contains("YOLOX [1, N, 5+C]", e.Message);
        Assert.Contains("YOLOv8 [1, 4+C, N]", e.Message);
        // Its declared output shape is named: [?, ?, 97] (T time steps by 97 characters).
        Assert.Contains("float [?, ?, 97]", e.Message);
    }

    [Fact]
    public void A_layout_that_does_not_match_is_refused()
    {
        var e = Assert.Throws<DetectorModelException>(() => new ObjectDetector(new DetectorOptions { ModelPath = DetectionAssets.Yolox, Layout = DetectorLayout.Yolov8 }));
        output.WriteLine(e.Message);
        Assert.Contains("[1, 3549, 85]", e.Message);
        Assert.Contains("Yolov8 was asked for", e.Message);
    }

    [Fact]
    public void The_service_fails_at_construction_not_on_its_worker()
    {
        var path = Path.Combine(_dir, "notes.onnx");
        File.WriteAllText(path, "x");
        Assert.Throws<DetectorModelException>(() => new DetectorService(new DetectorOptions { ModelPath = path }));
    }

    [Fact]
    public void Unknown_class_filter_is_an_argument_error()
    {
        var e = Assert.Throws<ArgumentException>(() => new ObjectDetector(DetectionAssets.Options() with { Classes = ["person", "unicorn"] }));
        Assert.Contains("unicorn", e.Message);
    }
}
