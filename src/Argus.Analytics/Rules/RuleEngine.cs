using Argus.Core.Alarms;

namespace Argus.Analytics.Rules;

public enum RuleTransitionKind { Raised, Updated, Cleared }

/// <summary>An alarm raised, grown (new zones) or cleared by a rule. Zones are those the rule saw moving so far.</summary>
public sealed record RuleTransition(RuleTransitionKind Kind, AlarmRule Rule, DateTimeOffset Start, DateTimeOffset? End, IReadOnlyList<string> Zones, double PeakArea);

/// <summary>
/// Evaluates a camera's alarm rules frame by frame. A rule is satisfied on a frame when the camera is armed (if the
/// rule asks for it) and motion covers enough of one of its zones; once satisfied continuously for its minimum
/// duration it raises an alarm, which clears after a quiet period without motion in its zones (or when disarmed).
/// Not thread-safe: one engine per camera, fed from that camera's analysis thread.
/// </summary>
public sealed class RuleEngine
{
    private readonly RuleState[] _rules;
    private readonly List<RuleTransition> _transitions = [];
    private readonly TimeSpan _quiet;
    private readonly TimeSpan _gap;
    private readonly string[] _zoneNames;

    private sealed class RuleState(AlarmRule rule, int[] zoneIndexes)
    {
        public AlarmRule Rule { get; } = rule;
        /// <summary>Indexes into the frame's zone coverage; empty = the whole frame.</summary>
        public int[] ZoneIndexes { get; } = zoneIndexes;
        public DateTimeOffset? ActiveSince;
        public DateTimeOffset LastActive;
        public bool Raised;
        public DateTimeOffset RaisedStart;
        public double Peak;
        public readonly SortedSet<string> Zones = new(StringComparer.Ordinal);
    }

    /// <param name="zoneNames">The names of the camera's zones, in the order their coverage is passed to <see cref="Evaluate"/>.</param>
    /// <param name="quiet">How long without motion in the rule's zones clears an alarm.</param>
    /// <param name="gap">A gap in motion up to this long does not break "continuously" (a missed frame or two).</param>
    public RuleEngine(IEnumerable<AlarmRule> rules, IReadOnlyList<string> zoneNames, TimeSpan quiet, TimeSpan gap)
    {
        _quiet = quiet;
        _gap = gap;
        _zoneNames = [.. zoneNames];
        _rules = rules.Where(r => r.Enabled).Select(r => (Rule: r, Zones: ResolveZones(r, zoneNames)))
            .Where(x => x.Zones is not null).Select(x => new RuleState(x.Rule, x.Zones!)).ToArray();
    }

    public int RuleCount => _rules.Length;

    /// <summary>Rules whose zones do not exist on the camera never fire; the API refuses them, this guards stale config.</summary>
    private static int[]? ResolveZones(AlarmRule rule, IReadOnlyList<string> zoneNames)
    {
        var indexes = new List<int>();
        foreach (var name in rule.Zones)
        {
            var i = -1;
            for (var k = 0; k < zoneNames.Count && i < 0; k++)
                if (string.Equals(zoneNames[k], name, StringComparison.OrdinalIgnoreCase)) i = k;
            if (i >= 0) indexes.Add(i);
        }
        return rule.Zones.Count > 0 && indexes.Count == 0 ? null : [.. indexes];
    }

    /// <summary>
    /// Feeds one analysed frame. Returns the transitions it caused (a reused list, valid until the next call).
    /// </summary>
    /// <param name="area">Moving fraction of the whole frame (outside masks).</param>
    /// <param name="zoneCoverage">Moving fraction of each zone, in the order given at construction.</param>
    public IReadOnlyList<RuleTransition> Evaluate(DateTimeOffset time, bool armed, bool motion, double area, ReadOnlySpan<double> zoneCoverage)
    {
        _transitions.Clear();
        foreach (var s in _rules)
        {
            var allowed = armed || !s.Rule.WhenArmed;
            var active = false;
            var newZone = false;
            if (allowed && motion)
            {
                if (s.ZoneIndexes.Length == 0) active = true;
                foreach (var i in s.ZoneIndexes)
                {
                    if (i >= zoneCoverage.Length || zoneCoverage[i] < s.Rule.MinCoverage) continue;
                    active = true;
                    newZone |= s.Zones.Add(_zoneNames[i]);
                }
            }

            if (active)
            {
                if (s.ActiveSince is null || time - s.LastActive > _gap) s.ActiveSince = time;
                s.LastActive = time;
                s.Peak = Math.Max(s.Peak, area);
                if (!s.Raised && time - s.ActiveSince.Value >= s.Rule.MinDuration)
                {
                    s.Raised = true;
                    s.RaisedStart = s.ActiveSince.Value;
                    _transitions.Add(new RuleTransition(RuleTransitionKind.Raised, s.Rule, s.RaisedStart, null, [.. s.Zones], s.Peak));
                }
                else if (s.Raised && newZone)
                {
                    _transitions.Add(new RuleTransition(RuleTransitionKind.Updated, s.Rule, s.RaisedStart, null, [.. s.Zones], s.Peak));
                }
            }
            else if (s.Raised && (!allowed || time - s.LastActive >= _quiet))
            {
                _transitions.Add(new RuleTransition(RuleTransitionKind.Cleared, s.Rule, s.RaisedStart, allowed ? s.LastActive : time, [.. s.Zones], s.Peak));
                Reset(s);
            }
            else if (!s.Raised && s.ActiveSince is not null && time - s.LastActive > _gap)
            {
                Reset(s);
            }
        }
        return _transitions;
    }

    /// <summary>Clears every raised alarm (analysis stopping): returns their Cleared transitions.</summary>
    public IReadOnlyList<RuleTransition> ClearAll(DateTimeOffset time)
    {
        _transitions.Clear();
        foreach (var s in _rules.Where(s => s.Raised))
        {
            _transitions.Add(new RuleTransition(RuleTransitionKind.Cleared, s.Rule, s.RaisedStart, s.LastActive > s.RaisedStart ? s.LastActive : time, [.. s.Zones], s.Peak));
            Reset(s);
        }
        return _transitions;
    }

    private static void Reset(RuleState s)
    {
        s.ActiveSince = null;
        s.Raised = false;
        s.Peak = 0;
        s.Zones.Clear();
    }
}
