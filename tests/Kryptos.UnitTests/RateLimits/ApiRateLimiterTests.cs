using Kryptos.Connect.Core.RateLimits;
using Microsoft.Extensions.Options;

namespace Kryptos.UnitTests.RateLimits;

/// <summary>The fixed windows, the quota per client and key, the overrides and the draft's header fields, on a clock the test moves.</summary>
public sealed class ApiRateLimiterTests
{
    // 2026-12-03 10:00:15 UTC: 15 s into a minute, so the window resets in 45 s.
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 15, TimeSpan.Zero);

    [Fact]
    public void TheQuota_IsCountedPerMinute_ThenRefused_UntilTheNextMinute()
    {
        var (limiter, clock) = Create(new RateLimitOptions { ApiRequestsPerMinute = 3 });
        var app = RateLimitPartition.ForClient(RateLimitKind.Api, "app");

        var decisions = Enumerable.Range(0, 4).Select(_ => limiter.Acquire(app, null)).ToList();

        Assert.Equal([true, true, true, false], decisions.Select(d => d.Allowed));
        Assert.Equal([2, 1, 0, 0], decisions.Select(d => d.Remaining));
        Assert.All(decisions, d => Assert.Equal(45, d.ResetSeconds));
        Assert.Equal("\"api\";q=3;w=60", decisions[3].PolicyHeader);
        Assert.Equal("\"api\";r=0;t=45", decisions[3].StateHeader);

        clock.Now = Start.AddSeconds(44.5);
        Assert.False(limiter.Acquire(app, null).Allowed);
        Assert.Equal(1, limiter.Acquire(app, null).ResetSeconds);

        // 10:01:00 is a new window: the full quota again.
        clock.Now = Start.AddSeconds(45);
        var next = limiter.Acquire(app, null);
        Assert.Equal((true, 2, 60), (next.Allowed, next.Remaining, next.ResetSeconds));
    }

    [Fact]
    public void EachClientAndEachKey_HasItsOwnBudget_AndTheTokenEndpointAnother()
    {
        var (limiter, _) = Create(new RateLimitOptions { ApiRequestsPerMinute = 1, TokenRequestsPerMinute = 1 });
        var keyId = Guid.NewGuid();

        Assert.True(limiter.Acquire(RateLimitPartition.ForClient(RateLimitKind.Api, "one"), null).Allowed);
        Assert.False(limiter.Acquire(RateLimitPartition.ForClient(RateLimitKind.Api, "one"), null).Allowed);
        Assert.True(limiter.Acquire(RateLimitPartition.ForClient(RateLimitKind.Api, "two"), null).Allowed);
        Assert.True(limiter.Acquire(RateLimitPartition.ForClient(RateLimitKind.Token, "one"), null).Allowed);
        Assert.True(limiter.Acquire(RateLimitPartition.ForKey(keyId), null).Allowed);
        Assert.False(limiter.Acquire(RateLimitPartition.ForKey(keyId), null).Allowed);
        Assert.True(limiter.Acquire(RateLimitPartition.ForKey(Guid.NewGuid()), null).Allowed);
        Assert.Equal("\"token\";q=1;w=60", limiter.Acquire(RateLimitPartition.ForClient(RateLimitKind.Token, "one"), null).PolicyHeader);
    }

    [Fact]
    public void AWorkspacesOverride_ReplacesTheDefault_AndInstancesShareTheBudget()
    {
        var enterprise = Guid.NewGuid();
        var options = new RateLimitOptions
        {
            ApiRequestsPerMinute = 600,
            TokenRequestsPerMinute = 120,
            Instances = 4,
            Workspaces = { [enterprise] = new WorkspaceRateLimits { ApiRequestsPerMinute = 6_000 } },
        };
        var (limiter, _) = Create(options);

        // 600 / 4 instances = 150 here; the override 6,000 / 4 = 1,500; the token default 120 / 4 = 30.
        Assert.Equal(150, limiter.QuotaFor(RateLimitKind.Api, Guid.NewGuid()));
        Assert.Equal(150, limiter.QuotaFor(RateLimitKind.Api, null));
        Assert.Equal(1_500, limiter.QuotaFor(RateLimitKind.Api, enterprise));
        Assert.Equal(30, limiter.QuotaFor(RateLimitKind.Token, enterprise));
        Assert.True(limiter.HasWorkspaceOverrides);

        // Never below one request a minute, however many instances.
        options.Instances = 1_000;
        Assert.Equal(1, limiter.QuotaFor(RateLimitKind.Token, null));
    }

    [Fact]
    public void ConcurrentRequests_NeverGetMoreThanTheQuota()
    {
        var (limiter, _) = Create(new RateLimitOptions { ApiRequestsPerMinute = 100 });
        var app = RateLimitPartition.ForClient(RateLimitKind.Api, "busy");
        var allowed = 0;

        Parallel.For(0, 1_000, _ =>
        {
            if (limiter.Acquire(app, null).Allowed)
            {
                Interlocked.Increment(ref allowed);
            }
        });

        Assert.Equal(100, allowed);
    }

    private static (ApiRateLimiter Limiter, ManualClock Clock) Create(RateLimitOptions options)
    {
        var clock = new ManualClock { Now = Start };
        return (new ApiRateLimiter(new FixedOptions(options), clock), clock);
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class FixedOptions(RateLimitOptions value) : IOptionsMonitor<RateLimitOptions>
    {
        public RateLimitOptions CurrentValue => value;

        public RateLimitOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RateLimitOptions, string?> listener) => null;
    }
}
