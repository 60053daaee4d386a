using System.Globalization;

namespace Argus.Server.Hosting;

/// <summary>Turns `serve --demo --quota 50GB ...` into configuration keys the host understands.</summary>
public static class CommandLine
{
    private static readonly string[] Flags = ["--demo", "--json-logs"];

    public static string[] Normalize(string[] args)
    {
        var list = args.ToList();
        if (list.Count > 0 && list[0] == "serve") list.RemoveAt(0);
        return list.Select(a => Flags.Contains(a) ? a + "=true" : a).ToArray();
    }

    /// <summary>Parses sizes like 500MB, 20GB, 1TB or plain bytes.</summary>
    public static long? ParseSize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim().ToUpperInvariant();
        var units = new (string Suffix, long Factor)[] { ("TB", 1L << 40), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("B", 1) };
        foreach (var (suffix, factor) in units)
            if (text.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0)
                return (long)(v * factor);
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) && bytes >= 0) return bytes;
        throw new ArgumentException($"'{text}' is not a size (examples: 500MB, 20GB).");
    }
}
