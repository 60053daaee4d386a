namespace Argus.Analytics.Objects;

/// <summary>A set of class names; empty means every class.</summary>
internal sealed class ClassFilter(IReadOnlyList<string>? classes)
{
    private readonly HashSet<string> _set = new(classes ?? [], StringComparer.OrdinalIgnoreCase);

    public bool Allows(string cls) => _set.Count == 0 || _set.Contains(cls);
}
