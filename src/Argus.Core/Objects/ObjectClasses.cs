namespace Argus.Core.Objects;

/// <summary>The COCO class names detectors report (index = class id), and the groups Argus uses by default.</summary>
public static class ObjectClasses
{
    public static readonly IReadOnlyList<string> Coco =
    [
        "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
        "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
        "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
        "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
        "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange",
        "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant", "bed",
        "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave", "oven",
        "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush",
    ];

    /// <summary>What Argus detects when nothing more is asked for: people and vehicles.</summary>
    public static readonly IReadOnlyList<string> Default = ["person", "bicycle", "car", "motorcycle", "bus", "truck"];

    public static readonly IReadOnlyList<string> Vehicles = ["car", "motorcycle", "bus", "truck"];

    /// <summary>Vehicle classes flip between frames (car/truck/bus), so trackers treat them as one family.</summary>
    public static bool IsVehicle(string name)
    {
        foreach (var v in Vehicles) if (string.Equals(v, name, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    public static int IdOf(string name)
    {
        for (var i = 0; i < Coco.Count; i++) if (string.Equals(Coco[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    /// <summary>Normalises a list of class names from the API (lower case, distinct).</summary>
    /// <exception cref="ArgumentException">naming the unknown class.</exception>
    public static IReadOnlyList<string> Validate(IReadOnlyList<string>? classes, IReadOnlyList<string> fallback)
    {
        if (classes is null || classes.Count == 0) return fallback;
        if (classes.Count > Coco.Count) throw new ArgumentException("too many classes.");
        var list = new List<string>();
        foreach (var c in classes)
        {
            var id = IdOf(c?.Trim() ?? "");
            if (id < 0) throw new ArgumentException($"unknown object class '{c}'; use COCO names such as person, car, bus, truck, motorcycle, bicycle.");
            if (!list.Contains(Coco[id])) list.Add(Coco[id]);
        }
        return list;
    }
}
