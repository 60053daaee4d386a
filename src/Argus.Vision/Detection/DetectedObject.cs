using Argus.Core.Objects;

namespace Argus.Vision.Detection;

/// <summary>One detected object: class id in the model's class list, its name, score 0..1, box in normalised frame coordinates.</summary>
public readonly record struct DetectedObject(int ClassId, string Label, float Score, NormBox Box);
