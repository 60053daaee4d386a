using Argus.Analytics.Rules;
using Argus.Core.Alarms;

namespace Argus.Analytics.Tests.Rules;

public class RuleEngineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 22, 0, 0, TimeSpan.Zero);
    private static readonly string[] Zones = ["Door", "Shop floor"];

    private static AlarmRule Intruder(double seconds = 1, bool whenArmed = true, params string[] zones) => new()
    {
        Id = "r1", Name = "Intruder", CameraId = "c", Zones = zones.Length == 0 ? ["Shop floor"] : zones,
        MinDuration = TimeSpan.FromSeconds(seconds), WhenArmed = whenArmed,
    };

    private static RuleEngine Engine(params AlarmRule[] rules) => new(rules, Zones, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(0.5));

    /// <summary>Feeds 5 fps frames from <paramref name="from"/> s to <paramref name="to"/> s; returns every transition with its frame time.</summary>
    private static List<(double At, RuleTransition T)> Run(RuleEngine e, double from, double to, bool armed, double shopCoverage, double doorCoverage = 0)
    {
        var result = new List<(double, RuleTransition)>();
        for (var i = (int)Math.Round(from * 5); i < (int)Math.Round(to * 5); i++)
        {
            var t = i / 5.0;
            var motion = shopCoverage > 0 || doorCoverage > 0;
            foreach (var x in e.Evaluate(T0.AddSeconds(t), armed, motion, Math.Max(shopCoverage, doorCoverage) / 2, [doorCoverage, shopCoverage]))
                result.Add((t, x));
        }
        return result;
    }

    [Fact]
    public void Motion_in_the_zone_while_armed_raises_after_the_minimum_duration_and_clears_after_the_quiet_period()
    {
        var e = Engine(Intruder());
        var moving = Run(e, 0, 3, armed: true, shopCoverage: 0.2);
        var raised = Assert.Single(moving);
        Assert.Equal(RuleTransitionKind.Raised, raised.T.Kind);
        Assert.Equal(1.0, raised.At, 3);           // 1 s after onset
        Assert.Equal(T0, raised.T.Start);          // the alarm starts at the onset
        Assert.Equal(["Shop floor"], raised.T.Zones);

        var quiet = Run(e, 3, 10, armed: true, shopCoverage: 0);
        var cleared = Assert.Single(quiet);
        Assert.Equal(RuleTransitionKind.Cleared, cleared.T.Kind);
        Assert.Equal(7.8, cleared.At, 3);          // 5 s after the last moving frame (2.8 s)
        Assert.Equal(T0.AddSeconds(2.8), cleared.T.End);
    }

    [Fact]
    public void Nothing_fires_while_disarmed_unless_the_rule_ignores_arming()
    {
        Assert.Empty(Run(Engine(Intruder()), 0, 5, armed: false, shopCoverage: 0.5));
        Assert.Single(Run(Engine(Intruder(whenArmed: false)), 0, 5, armed: false, shopCoverage: 0.5));
    }

    [Fact]
    public void Motion_shorter_than_the_minimum_or_outside_the_zone_does_not_fire()
    {
        var e = Engine(Intruder(seconds: 1));
        Assert.Empty(Run(e, 0, 0.8, armed: true, shopCoverage: 0.3)); // 4 frames: 0.6 s of motion
        Assert.Empty(Run(e, 0.8, 3, armed: true, shopCoverage: 0));
        Assert.Empty(Run(e, 3, 8, armed: true, shopCoverage: 0, doorCoverage: 0.5)); // the door is not the rule's zone
        Assert.Empty(Run(e, 8, 12, armed: true, shopCoverage: 0.005)); // below the rule's minimum coverage
    }

    [Fact]
    public void Disarming_clears_a_raised_alarm()
    {
        var e = Engine(Intruder(seconds: 0));
        Assert.Single(Run(e, 0, 1, armed: true, shopCoverage: 0.3));
        var cleared = Assert.Single(Run(e, 1, 1.2, armed: false, shopCoverage: 0.3));
        Assert.Equal(RuleTransitionKind.Cleared, cleared.T.Kind);
    }

    [Fact]
    public void An_alarm_reports_a_zone_it_spreads_to()
    {
        var e = Engine(Intruder(0, true, "Door", "Shop floor"));
        Assert.Equal(["Door"], Assert.Single(Run(e, 0, 1, armed: true, shopCoverage: 0, doorCoverage: 0.3)).T.Zones);
        var update = Assert.Single(Run(e, 1, 2, armed: true, shopCoverage: 0.3, doorCoverage: 0.3));
        Assert.Equal(RuleTransitionKind.Updated, update.T.Kind);
        Assert.Equal(["Door", "Shop floor"], update.T.Zones);
    }

    [Fact]
    public void A_rule_whose_zones_are_gone_never_fires_and_a_rule_without_zones_watches_the_whole_frame()
    {
        Assert.Equal(0, Engine(Intruder(0, true, "Garage")).RuleCount);
        var anywhere = Engine(Intruder(0) with { Zones = [] });
        Assert.Single(Run(anywhere, 0, 1, armed: true, shopCoverage: 0, doorCoverage: 0.3));
    }

    [Fact]
    public void Stopping_clears_raised_alarms()
    {
        var e = Engine(Intruder(0));
        Run(e, 0, 1, armed: true, shopCoverage: 0.3);
        Assert.Equal(RuleTransitionKind.Cleared, Assert.Single(e.ClearAll(T0.AddSeconds(2))).Kind);
        Assert.Empty(e.ClearAll(T0.AddSeconds(3)));
    }
}
