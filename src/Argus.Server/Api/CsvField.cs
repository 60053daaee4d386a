namespace Argus.Server.Api;

/// <summary>A CSV field of the server's exports (audit, counts).</summary>
public static class CsvField
{
    /// <summary>Quoted always, and spreadsheet formulas defused: fields can hold user-typed names.</summary>
    public static string Of(string? v)
    {
        v ??= "";
        if (v.Length > 0 && "=+-@".Contains(v[0])) v = "'" + v;
        return "\"" + v.Replace("\"", "\"\"") + "\"";
    }
}
