using Argus.Core.Geometry;

namespace Argus.Core.Objects;

/// <summary>An axis-aligned box in frame coordinates normalised to 0..1 (x right, y down).</summary>
public readonly record struct NormBox(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;
    public double Bottom => Y + Height;
    public double CenterX => X + (Width / 2);
    public double CenterY => Y + (Height / 2);
    public double Area => Math.Max(0, Width) * Math.Max(0, Height);

    /// <summary>Where the object stands on the ground (bottom centre): the point lines, zones and speed use.</summary>
    public NormPoint Foot => new(CenterX, Bottom);

    public static NormBox FromCorners(double x1, double y1, double x2, double y2) => new(x1, y1, x2 - x1, y2 - y1);

    public double IoU(NormBox other)
    {
        var w = Math.Min(Right, other.Right) - Math.Max(X, other.X);
        var h = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        if (w <= 0 || h <= 0) return 0;
        var inter = w * h;
        return inter / (Area + other.Area - inter);
    }

    public NormBox ClampToFrame()
    {
        var x1 = Math.Clamp(X, 0, 1);
        var y1 = Math.Clamp(Y, 0, 1);
        return FromCorners(x1, y1, Math.Clamp(Right, x1, 1), Math.Clamp(Bottom, y1, 1));
    }
}
