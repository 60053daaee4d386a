namespace Argus.Vision;

/// <summary>Least-squares fit of a frame to a reference: cur ≈ gain * reference + offset, i.e. what lighting alone explains.</summary>
internal static class LightingFit
{
    /// <summary>
    /// Fits over the cells not flagged in <paramref name="skipA"/> or <paramref name="skipB"/> (empty = none flagged)
    /// whose residual under the previous fit (<paramref name="gain"/>, <paramref name="offset"/>) is at most
    /// <paramref name="maxResidual"/>; so a second call with the first fit leaves out what moved.
    /// </summary>
    public static (float Gain, float Offset) Fit(ReadOnlySpan<float> reference, ReadOnlySpan<float> cur, ReadOnlySpan<byte> skipA,
        ReadOnlySpan<byte> skipB, float maxResidual, float gain = 1, float offset = 0)
    {
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var i = 0; i < cur.Length; i++)
        {
            if ((!skipA.IsEmpty && skipA[i] != 0) || (!skipB.IsEmpty && skipB[i] != 0)) continue;
            double x = reference[i], y = cur[i];
            if (Math.Abs(y - ((gain * x) + offset)) > maxResidual) continue;
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        if (n < 16) return (1, 0);
        var varX = (sxx / n) - ((sx / n) * (sx / n));
        // A flat reference (a wall, darkness) has no slope to fit: then only the offset moves.
        if (varX < 4) return (1, (float)((sy - sx) / n));
        var g = Math.Clamp(((sxy / n) - ((sx / n) * (sy / n))) / varX, 0.25, 4);
        return ((float)g, (float)((sy / n) - (g * (sx / n))));
    }
}
