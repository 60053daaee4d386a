using Argus.Vision.Detection;
using Xunit.Abstractions;

namespace Argus.Vision.Tests.Detection;

/// <summary>YOLOX-nano on the YOLOX reference image through I420, the whole frame and a crop.</summary>
public sealed class ObjectDetectorTests(ITestOutputHelper output)
{
    [Fact]
    public void Finds_the_reference_objects_with_the_reference_scores()
    {
        using var detector = new ObjectDetector(DetectionAssets.Options());
        Assert.Equal(DetectorLayout.Yolox, detector.Model.Layout);
        Assert.Equal((416, 416, 80, 3549), (detector.Model.InputWidth, detector.Model.InputHeight, detector.Model.ClassCount, detector.Model.Anchors));
        var (frame, w, h) = DetectionAssets.Dog;
        var found = detector.Detect(frame, w, h);
        foreach (var d in found) output.WriteLine($"{d.Label} {d.Score:0.000} {d.Box}");

        var dog = Assert.Single(found, d => d.Label == "dog");
        var bicycle = Assert.Single(found, d => d.Label == "bicycle");
        var car = Assert.Single(found, d => d.Label == "car");
        Assert.InRange(dog.Score, 0.86 - 0.08, 0.86 + 0.08);
        Assert.InRange(bicycle.Score, 0.80 - 0.08, 0.80 + 0.08);
        Assert.InRange(car.Score, 0.80 - 0.08, 0.80 + 0.08);
        // The dog sits bottom-left, the bicycle across the middle, the car top-right.
        Assert.True(dog.Box.CenterX < 0.45 && dog.Box.CenterY > 0.5, $"dog at {dog.Box}");
        Assert.True(bicycle.Box.Width > 0.4 && bicycle.Box.CenterY is > 0.3 and < 0.75, $"bicycle at {bicycle.Box}");
        Assert.True(car.Box.CenterX > 0.6 && car.Box.CenterY < 0.35, $"car at {car.Box}");
    }

    [Fact]
    public void Detects_only_inside_a_crop_and_maps_back_to_the_frame()
    {
        using var detector = new ObjectDetector(DetectionAssets.Options());
        var (frame, w, h) = DetectionAssets.Dog;
        var whole = detector.Detect(frame, w, h).Single(d => d.Label == "dog");
        // The lower-left region around the dog, as motion would give it.
        var crop = PixelRect.Around(whole.Box, w, h, 0.15);
        var found = detector.Detect(frame, w, h, crop);
        foreach (var d in found) output.WriteLine($"{d.Label} {d.Score:0.000} {d.Box}");

        var dog = Assert.Single(found, d => d.Label == "dog");
        Assert.DoesNotContain(found, d => d.Label == "car");
        Assert.True(dog.Box.IoU(whole.Box) > 0.8, $"crop {dog.Box} vs whole {whole.Box}");
        Assert.All(found, d => Assert.True(d.Box.X >= (double)crop.X / w - 1e-9 && d.Box.Right <= (double)crop.Right / w + 1e-9));
    }

    [Fact]
    public void Class_filter_reports_only_the_asked_classes()
    {
        using var detector = new ObjectDetector(DetectionAssets.Options() with { Classes = ["dog"] });
        var (frame, w, h) = DetectionAssets.Dog;
        Assert.Equal(["dog"], detector.Detect(frame, w, h).Select(d => d.Label));
    }
}
