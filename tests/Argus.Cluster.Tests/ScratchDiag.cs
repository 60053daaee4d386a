using Argus.Core.Analysis;
using Argus.Core.Geometry;
using Argus.Media.Tests;
using Xunit.Abstractions;
namespace Argus.Cluster.Tests;
public sealed class ScratchDiag(CountingAccuracyTests.Detector fixture, ITestOutputHelper output) : IClassFixture<CountingAccuracyTests.Detector>
{
    private static double From => double.Parse(Environment.GetEnvironmentVariable("DIAG_FROM") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
    private static double To => double.Parse(Environment.GetEnvironmentVariable("DIAG_TO") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
    [Fact]
    public async Task Dump()
    {
        var line = new CameraLine { Id = "l", CameraId = "clip", Name = "count", A = new NormPoint(0.95, 0.81), B = new NormPoint(0.04, 0.20) }.Validate();
        var run = await ObjectClipRun.RunAsync(Fixtures.Asset("videos/traffic_cam_multilane.mp4"), fixture.Service, [line]);
        foreach (var f in run.Frames.Where(f => ObjectClipRun.Seconds(f.Time) >= From && ObjectClipRun.Seconds(f.Time) <= To))
        {
            output.WriteLine($"t={ObjectClipRun.Seconds(f.Time):0.0} ended=[{string.Join(",", f.Ended.Select(e => e % 100000))}]");
            foreach (var o in f.Objects.OrderBy(o => o.TrackId)) output.WriteLine($"   #{o.TrackId % 100000} {o.Class} {o.Score:0.00} seen={o.Seen} st={o.Stationary} box=({o.Box.X:0.000},{o.Box.Y:0.000},{o.Box.Right:0.000},{o.Box.Bottom:0.000})");
        }
        foreach (var e in run.Collected.Events.Where(e => ObjectClipRun.Seconds(e.Start) >= From - 1 && ObjectClipRun.Seconds(e.Start) <= To + 1)) output.WriteLine($"cross {ObjectClipRun.Seconds(e.Start):0.00} #{e.TrackId % 100000} {e.ObjectClass} {e.Direction}");
    }
}
