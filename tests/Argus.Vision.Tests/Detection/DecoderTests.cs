using Argus.Core.Objects;
using Argus.Vision.Detection;

namespace Argus.Vision.Tests.Detection;

/// <summary>Decoding hand-made output tensors for a 64x64 input (84 anchors: 8x8, 4x4, 2x2) with known boxes.</summary>
public sealed class DecoderTests
{
    private const int Anchors = 64 + 16 + 4;
    private static readonly string[] Labels = ["a", "b", "c"];
    private static readonly LetterboxMapping Identity = new(64, 64, PixelRect.Whole(64, 64), 1, 1, 0, 0);

    private static float[] YoloxOutput(params (int Row, float[] Values)[] rows)
    {
        var o = new float[Anchors * 8];
        foreach (var (row, values) in rows) values.CopyTo(o, row * 8);
        return o;
    }

    private static void AssertBox(NormBox expected, NormBox actual)
    {
        Assert.Equal(expected.X, actual.X, 5);
        Assert.Equal(expected.Y, actual.Y, 5);
        Assert.Equal(expected.Width, actual.Width, 5);
        Assert.Equal(expected.Height, actual.Height, 5);
    }

    [Fact]
    public void Raw_yolox_rows_decode_on_their_grid_and_stride()
    {
        // Row 26 = stride 8, cell (2, 3): centre (2.5*8, 3.5*8) = (20, 28), size 2*8 x 4*8.
        // Row 83 = stride 32, cell (1, 1): centre (32, 32), size 32 x 32. Row 0 is below threshold (0.3 * 0.9).
        var output = YoloxOutput(
            (26, [0.5f, 0.5f, MathF.Log(2), MathF.Log(4), 0.9f, 0.1f, 0.8f, 0.0f]),
            (83, [0, 0, 0, 0, 0.5f, 0.0f, 0.0f, 0.9f]),
            (0, [0, 0, 0, 0, 0.3f, 0.9f, 0, 0]));
        var decoder = new YoloDecoder(DetectorLayout.Yolox, 64, 64, 3, Labels, 0.35f, 0.45f);
        var found = new List<DetectedObject>();
        decoder.Decode(output, Identity, found);

        Assert.Equal(2, found.Count);
        Assert.Equal((1, "b"), (found[0].ClassId, found[0].Label));
        Assert.Equal(0.72f, found[0].Score, 5);
        AssertBox(NormBox.FromCorners(12 / 64.0, 12 / 64.0, 28 / 64.0, 44 / 64.0), found[0].Box);
        Assert.Equal(2, found[1].ClassId);
        Assert.Equal(0.45f, found[1].Score, 5);
        AssertBox(NormBox.FromCorners(0.25, 0.25, 0.75, 0.75), found[1].Box);
    }

    [Fact]
    public void Decoded_yolox_rows_are_input_pixels_and_map_through_the_letterbox()
    {
        // A 128x64 frame letterboxed top-left into 64x64: scale 0.5, the lower half of the input is padding.
        var mapping = new LetterboxMapping(128, 64, PixelRect.Whole(128, 64), 0.5, 0.5, 0, 0);
        var output = YoloxOutput((40, [32, 16, 16, 8, 1f, 0.9f, 0, 0]));
        var decoder = new YoloDecoder(DetectorLayout.YoloxDecoded, 64, 64, 3, Labels, 0.35f, 0.45f);
        var found = new List<DetectedObject>();
        decoder.Decode(output, mapping, found);

        var d = Assert.Single(found);
        // Input x 24..40, y 12..20 -> frame x 48..80 of 128, y 24..40 of 64.
        AssertBox(NormBox.FromCorners(48 / 128.0, 24 / 64.0, 80 / 128.0, 40 / 64.0), d.Box);
    }

    [Fact]
    public void Yolov8_channel_major_output_decodes_with_per_class_nms_and_centred_pad()
    {
        // [4+2, 84]: anchor 5 class 1 (0.6); anchor 10 the same box a pixel over, class 1 (0.5): suppressed;
        // anchor 11 the same box as class 0 (0.55): kept, NMS is per class. Anchor 12 is below threshold.
        var o = new float[6 * Anchors];
        void Set(int a, float cx, float cy, float w, float h, int cls, float score)
        {
            o[a] = cx; o[Anchors + a] = cy; o[2 * Anchors + a] = w; o[3 * Anchors + a] = h;
            o[(4 + cls) * Anchors + a] = score;
        }
        Set(5, 32, 32, 20, 10, 1, 0.6f);
        Set(10, 33, 32, 20, 10, 1, 0.5f);
        Set(11, 32, 32, 20, 10, 0, 0.55f);
        Set(12, 10, 10, 4, 4, 0, 0.2f);
        // A 64x32 frame centred in 64x64: 16 rows of padding above.
        var mapping = new LetterboxMapping(64, 32, PixelRect.Whole(64, 32), 1, 1, 0, 16);
        var decoder = new YoloDecoder(DetectorLayout.Yolov8, 64, 64, 2, Labels, 0.35f, 0.45f);
        var found = new List<DetectedObject>();
        decoder.Decode(o, mapping, found);

        Assert.Equal(2, found.Count);
        Assert.Equal((1, 0.6f), (found[0].ClassId, found[0].Score));
        Assert.Equal((0, 0.55f), (found[1].ClassId, found[1].Score));
        AssertBox(NormBox.FromCorners(22 / 64.0, 11 / 32.0, 42 / 64.0, 21 / 32.0), found[0].Box);
    }

    [Fact]
    public void Class_filter_drops_other_classes_without_relabelling()
    {
        // Best class is 1; class 0 is allowed but must not be reported as a runner-up.
        var output = YoloxOutput((26, [0.5f, 0.5f, 0, 0, 1f, 0.5f, 0.9f, 0]), (27, [0.5f, 0.5f, 0, 0, 1f, 0.9f, 0.1f, 0]));
        var decoder = new YoloDecoder(DetectorLayout.Yolox, 64, 64, 3, Labels, 0.35f, 0.45f, [0]);
        var found = new List<DetectedObject>();
        decoder.Decode(output, Identity, found);
        var d = Assert.Single(found);
        Assert.Equal(0, d.ClassId);
        Assert.Equal(0.9f, d.Score, 5);
    }

    [Fact]
    public void Boxes_are_clamped_to_the_crop()
    {
        // Crop x 32..64 of a 64x64 frame at scale 2: a box reaching past the input's edge stops at the crop.
        var mapping = new LetterboxMapping(64, 64, new PixelRect(32, 0, 32, 64), 1, 1, 0, 0);
        var output = YoloxOutput((83, [0, 0, MathF.Log(4), 0, 1f, 0.9f, 0, 0]));
        var decoder = new YoloDecoder(DetectorLayout.Yolox, 64, 64, 3, Labels, 0.35f, 0.45f);
        var found = new List<DetectedObject>();
        decoder.Decode(output, mapping, found);
        var d = Assert.Single(found);
        Assert.Equal(0.5, d.Box.X, 6);
        Assert.Equal(1.0, d.Box.Right, 6);
    }

    [Fact]
    public void Nms_keeps_the_best_of_each_overlapping_group_per_class()
    {
        var a = new DetectedObject(0, "a", 0.9f, new NormBox(0.1, 0.1, 0.2, 0.2));
        var a2 = new DetectedObject(0, "a", 0.8f, new NormBox(0.11, 0.1, 0.2, 0.2));     // IoU ~0.9 with a
        var a3 = new DetectedObject(0, "a", 0.7f, new NormBox(0.25, 0.1, 0.2, 0.2));     // IoU ~0.14 with a: kept
        var b = new DetectedObject(1, "b", 0.85f, new NormBox(0.1, 0.1, 0.2, 0.2));      // other class: kept
        var list = new List<DetectedObject> { a3, a2, b, a };
        Nms.PerClass(list, 0.45f);
        Assert.Equal([a, b, a3], list);
    }
}
