using Argus.Core.Notifications;

namespace Argus.Notify.Tests;

public sealed class AdmissionTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly NotificationTarget Target = new()
    {
        Id = "t1", Kind = ChannelKind.Webhook, Name = "t", MaxPerMinute = 2, DedupWindow = TimeSpan.FromSeconds(60),
        Webhook = new WebhookTarget("https://example.org", "a-secret-of-20-chars"),
    };

    [Fact]
    public void The_bucket_refills_at_the_per_minute_rate()
    {
        var clock = new Clock();
        var gate = new Admission(clock);
        Assert.Null(gate.Check(Target, Notifier.Alert(1, camera: "a")));
        Assert.Null(gate.Check(Target, Notifier.Alert(2, camera: "b")));
        Assert.Equal(DeliveryStatus.RateLimited, gate.Check(Target, Notifier.Alert(3, camera: "c"))?.Status);
        clock.Now += TimeSpan.FromSeconds(30); // one token back at 2 a minute
        Assert.Null(gate.Check(Target, Notifier.Alert(4, camera: "d")));
        Assert.Equal(DeliveryStatus.RateLimited, gate.Check(Target, Notifier.Alert(5, camera: "e"))?.Status);
    }

    [Fact]
    public void A_repeat_of_a_camera_and_type_is_held_within_the_window_only()
    {
        var clock = new Clock();
        var gate = new Admission(clock);
        var wide = Target with { MaxPerMinute = 100 };
        Assert.Null(gate.Check(wide, Notifier.Alert(1)));
        clock.Now += TimeSpan.FromSeconds(59);
        Assert.Equal(DeliveryStatus.Deduplicated, gate.Check(wide, Notifier.Alert(2))?.Status);
        Assert.Equal(DeliveryStatus.Deduplicated, gate.Check(wide, Notifier.Alert(2, AlertStates.End))?.Status);
        Assert.Null(gate.Check(wide, Notifier.Alert(3, type: AlertTypes.Alarm)));
        clock.Now += TimeSpan.FromSeconds(2);
        Assert.Null(gate.Check(wide, Notifier.Alert(4)));
        Assert.Null(gate.Check(wide, Notifier.Alert(1, AlertStates.End)));
        Assert.Equal(DeliveryStatus.Deduplicated, gate.Check(wide, Notifier.Alert(1, AlertStates.End))?.Status);
    }

    [Fact]
    public void Updates_pass_unless_identical_to_the_last_one()
    {
        var gate = new Admission(new Clock());
        var wide = Target with { MaxPerMinute = 100 };
        var update = Notifier.Alert(1, AlertStates.Update);
        Assert.Null(gate.Check(wide, update));
        Assert.Equal(DeliveryStatus.Deduplicated, gate.Check(wide, update)?.Status);
        Assert.Null(gate.Check(wide, update with { PeakArea = 0.5 }));
    }

    [Fact]
    public void Retry_delays_double_up_to_the_cap()
    {
        var o = new NotificationOptions();
        Assert.Equal(new[] { 1, 2, 4, 8, 16, 32, 60, 60 }, Enumerable.Range(1, 8).Select(i => (int)o.RetryDelay(i).TotalSeconds));
    }
}
