using Argus.Core.Security;

namespace Argus.Core.Tests.Security;

public sealed class LoginThrottleTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Each_address_gets_its_permits_per_window_and_a_fresh_window_after_it()
    {
        var clock = new Clock();
        var throttle = new LoginThrottle(permits: 3, window: TimeSpan.FromMinutes(1), clock);
        Assert.All(Enumerable.Range(0, 3), _ => Assert.True(throttle.TryTake("10.0.0.1")));
        Assert.False(throttle.TryTake("10.0.0.1"));
        Assert.True(throttle.TryTake("10.0.0.2")); // another address is not held up
        clock.Now += TimeSpan.FromSeconds(59);
        Assert.False(throttle.TryTake("10.0.0.1"));
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.True(throttle.TryTake("10.0.0.1"));
    }

    [Fact]
    public void Many_addresses_do_not_grow_it_without_bound_and_keep_their_limits()
    {
        var clock = new Clock();
        var throttle = new LoginThrottle(permits: 1, window: TimeSpan.FromMinutes(1), clock);
        for (var i = 0; i < 10_050; i++) Assert.True(throttle.TryTake($"a{i}"));
        Assert.False(throttle.TryTake("a5"));
        clock.Now += TimeSpan.FromMinutes(2);
        Assert.True(throttle.TryTake("b"));
        Assert.True(throttle.TryTake("a5"));
        Assert.True(throttle.Count < 100, $"{throttle.Count} windows kept");
    }
}
