using Argus.Core.Objects;

namespace Argus.Analytics.Tests.Objects;

/// <summary>Builds ObjectFrames from foot points.</summary>
internal static class Scene
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static TrackedObject At(long id, double footX, double footY, string cls = "car", bool seen = true) =>
        new(id, cls, new NormBox(footX - 0.05, footY - 0.1, 0.1, 0.1), 0.9, seen, false);

    public static ObjectFrame Frame(double seconds, params TrackedObject[] objects) => new(T0.AddSeconds(seconds), objects, []);

    public static ObjectFrame Ended(double seconds, params long[] ids) => new(T0.AddSeconds(seconds), [], ids);
}
