namespace Argus.Vision.Detection;

/// <summary>Greedy non-maximum suppression per class.</summary>
public static class Nms
{
    /// <summary>
    /// Keeps, within each class, the highest-scoring box of every group overlapping by more than <paramref name="iou"/>.
    /// Sorts <paramref name="detections"/> by score (descending) and removes the suppressed ones in place.
    /// </summary>
    public static void PerClass(List<DetectedObject> detections, float iou)
    {
        detections.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        var kept = 0;
        for (var i = 0; i < detections.Count; i++)
        {
            var d = detections[i];
            var suppressed = false;
            for (var j = 0; j < kept; j++)
            {
                var k = detections[j];
                if (k.ClassId == d.ClassId && k.Box.IoU(d.Box) > iou) { suppressed = true; break; }
            }
            if (!suppressed) detections[kept++] = d;
        }
        detections.RemoveRange(kept, detections.Count - kept);
    }
}
