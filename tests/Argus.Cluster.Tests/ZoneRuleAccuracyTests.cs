using System.Text.Json;
using Argus.Cluster.Analysis;
using Argus.Core.Analysis;
using Argus.Core.Events;
using Argus.Core.Geometry;
using Argus.Media.Tests;
using SkiaSharp;
using Xunit.Abstractions;

namespace Argus.Cluster.Tests;

/// <summary>
/// Zone rules on the people clip against its hand-labelled visits (GroundTruth/intel_one-by-one-person-detection.json:
/// six people come in one by one, stand 10-30 s and leave): one enter, one dwell and one leave per visit, with the
/// object pictures blacked out where a privacy mask covers the frame.
/// </summary>
public sealed class ZoneRuleAccuracyTests(CountingAccuracyTests.Detector fixture, ITestOutputHelper output) : IClassFixture<CountingAccuracyTests.Detector>
{
    private sealed record Visits(string Clip, List<Visit> Intervals);
    private sealed record Visit(double Start, double End, string What);

    [Fact]
    public async Task Each_visit_is_one_enter_one_dwell_and_one_leave_and_pictures_honour_the_privacy_mask()
    {
        var truth = JsonSerializer.Deserialize<Visits>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "GroundTruth", "intel_one-by-one-person-detection.json")),
            new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var now = DateTimeOffset.UtcNow;
        var room = new CameraZone("z1", "clip", "Room", ZoneKind.Zone, Polygon.Create([new(0, 0), new(1, 0), new(1, 1), new(0, 1)]), now);
        var privacy = new CameraZone("z2", "clip", "Window", ZoneKind.Privacy, Polygon.Create([new(0, 0), new(1, 0), new(1, 1), new(0, 1)]), now);
        var zones = new[] { room, privacy };
        ObjectRule Rule(string name, ObjectTrigger trigger, double dwell = 0) =>
            new ObjectRule { Id = name, CameraId = "clip", Name = name, Trigger = trigger, Zone = "Room", Classes = ["person"], DwellSeconds = dwell }.Validate(zones, []);
        var run = await ObjectClipRun.RunAsync(Fixtures.Asset(truth.Clip), fixture.Service, [],
            [Rule("in", ObjectTrigger.Enter), Rule("stays", ObjectTrigger.Dwell, 5), Rule("out", ObjectTrigger.Leave)], zones);

        var events = run.Collected.Events;
        foreach (var type in new[] { EventTypes.ObjectEnter, EventTypes.ObjectDwell, EventTypes.ObjectLeave })
        {
            var found = events.Where(e => e.Type == type).Select(e => ObjectClipRun.Seconds(e.Start)).OrderBy(t => t).ToList();
            output.WriteLine($"{type}: {string.Join(", ", found.Select(t => t.ToString("0.0")))}");
            // Each event belongs to the visit it falls in (or the nearest, within a second's slack for a box at the
            // frame edge); every visit has exactly one.
            static double Distance(Visit v, double t) => t < v.Start ? v.Start - t : t > v.End ? t - v.End : 0;
            var owners = found.Select(t => truth.Intervals.MinBy(v => Distance(v, t))!).ToList();
            Assert.All(found.Zip(owners), x => Assert.True(Distance(x.Second, x.First) <= 1, $"{type} at {x.First:0.0} is outside every visit"));
            foreach (var v in truth.Intervals)
                Assert.True(owners.Count(o => o == v) == 1, $"{type}: visit {v.Start}-{v.End} ({v.What}) has {owners.Count(o => o == v)}");
        }
        // Each dwell runs from its entry until its person leaves.
        foreach (var dwell in events.Where(e => e.Type == EventTypes.ObjectDwell))
        {
            var enter = Assert.Single(events, e => e.Type == EventTypes.ObjectEnter && e.TrackId == dwell.TrackId);
            var leave = Assert.Single(events, e => e.Type == EventTypes.ObjectLeave && e.TrackId == dwell.TrackId);
            Assert.Equal(enter.Start, dwell.Start);
            Assert.Equal(leave.Start, dwell.End);
        }
        // The privacy mask covers the frame: the best pictures exist and show nothing.
        Assert.NotEmpty(run.Collected.Pictures);
        foreach (var jpeg in run.Collected.Pictures.Values)
        {
            using var bmp = SKBitmap.Decode(jpeg);
            var brightest = 0;
            for (var y = 0; y < bmp.Height; y += 2)
                for (var x = 0; x < bmp.Width; x += 2)
                {
                    var c = bmp.GetPixel(x, y);
                    brightest = Math.Max(brightest, Math.Max(c.Red, Math.Max(c.Green, c.Blue)));
                }
            Assert.True(brightest < 24, $"a picture under the privacy mask has a pixel of {brightest}");
        }
    }
}
