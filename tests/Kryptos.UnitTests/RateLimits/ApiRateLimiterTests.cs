using Kryptos.Connect.Core.RateLimits;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kryptos.UnitTests.RateLimits;

/// <summary>
/// The fixed windows, the quota per client and key, the overrides and the draft's header fields, on a
/// clock the test moves; and several limiters (instances) adding up through counters shared in memory.
/// </summary>
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
    public void AWorkspacesOverride_ReplacesTheDefault_ForAllInstancesTogether()
    {
        var enterprise = Guid.NewGuid();
        var options = new RateLimitOptions
        {
            ApiRequestsPerMinute = 600,
            TokenRequestsPerMinute = 120,
            Workspaces = { [enterprise] = new WorkspaceRateLimits { ApiRequestsPerMinute = 6_000 } },
        };
        var (limiter, _) = Create(options);

        Assert.Equal(600, limiter.PerMinute(RateLimitKind.Api, Guid.NewGuid()));
        Assert.Equal(600, limiter.PerMinute(RateLimitKind.Api, null));
        Assert.Equal(6_000, limiter.PerMinute(RateLimitKind.Api, enterprise));
        Assert.Equal(120, limiter.PerMinute(RateLimitKind.Token, enterprise));
        Assert.True(limiter.HasWorkspaceOverrides);
        // No share per instance any more: the quota in the header is the workspace's.
        Assert.Equal(6_000, limiter.Acquire(RateLimitPartition.ForClient(RateLimitKind.Api, "big"), enterprise).Quota);
    }

    [Fact]
    public async Task TwoInstances_SharingTheCounters_AddUp_AfterASync()
    {
        var shared = new MemoryCounters();
        var clock = new ManualClock { Now = Start };
        var a = Create(new RateLimitOptions { ApiRequestsPerMinute = 10 }, clock, shared);
        var b = Create(new RateLimitOptions { ApiRequestsPerMinute = 10 }, clock, shared);
        var app = RateLimitPartition.ForClient(RateLimitKind.Api, "app");

        for (var i = 0; i < 6; i++)
        {
            Assert.True(a.Acquire(app, null).Allowed);
        }

        Assert.Equal(9, b.Acquire(app, null).Remaining); // B knows nothing of A yet: 10 - 1
        await a.SyncAsync(); // the database: 6
        await b.SyncAsync(); // the database: 7, and B learns it

        // 7 used of 10: B admits three more, then refuses; so does A once it has synced.
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => b.Acquire(app, null).Allowed));
        Assert.True(a.Acquire(app, null).Allowed); // A still believes 6 + 1 = 7 were used: the over-admission the docs bound
        await b.SyncAsync(); // the database: 10
        await a.SyncAsync(); // 11, A learns it
        Assert.False(a.Acquire(app, null).Allowed);
        Assert.Equal(0, a.Acquire(app, null).Remaining);
        Assert.Equal(11, shared.Total("api")); // 10 + the one admitted within the sync interval
    }

    [Fact]
    public async Task WithoutSync_EachInstanceEnforcesTheWholeQuota_SoTheWorstCaseIsQuotaTimesInstances()
    {
        var shared = new MemoryCounters();
        var clock = new ManualClock { Now = Start };
        var instances = Enumerable.Range(0, 3).Select(_ => Create(new RateLimitOptions { ApiRequestsPerMinute = 5 }, clock, shared)).ToList();
        var app = RateLimitPartition.ForKey(Guid.NewGuid());

        var admitted = instances.Sum(limiter => Enumerable.Range(0, 10).Count(_ => limiter.Acquire(app, null).Allowed));
        Assert.Equal(15, admitted); // 3 instances x 5

        foreach (var limiter in instances)
        {
            await limiter.SyncAsync();
        }

        await instances[0].SyncAsync();
        Assert.False(instances[0].Acquire(app, null).Allowed);
        Assert.Equal(15, shared.Total("api"));
    }

    [Fact]
    public async Task ADatabaseOutage_KeepsTheCountsLocal_AndSendsThemWhenItIsBack()
    {
        var shared = new MemoryCounters { Failing = true };
        var clock = new ManualClock { Now = Start };
        var limiter = Create(new RateLimitOptions { TokenRequestsPerMinute = 3 }, clock, shared);
        var app = RateLimitPartition.ForClient(RateLimitKind.Token, "app");

        Assert.True(limiter.Acquire(app, null).Allowed);
        Assert.True(limiter.Acquire(app, null).Allowed);
        await limiter.SyncAsync(); // fails, logged; nothing is lost
        Assert.True(limiter.Acquire(app, null).Allowed);
        Assert.False(limiter.Acquire(app, null).Allowed); // still enforced locally

        shared.Failing = false;
        await limiter.SyncAsync();
        Assert.Equal(3, shared.Total("token"));
        Assert.False(limiter.Acquire(app, null).Allowed);
    }

    [Fact]
    public async Task EndedWindows_AreForgottenAtTheNextSync_AndTheNewMinuteStartsFromZero()
    {
        var shared = new MemoryCounters();
        var clock = new ManualClock { Now = Start };
        var limiter = Create(new RateLimitOptions { ApiRequestsPerMinute = 2 }, clock, shared);
        for (var i = 0; i < 50; i++)
        {
            limiter.Acquire(RateLimitPartition.ForClient(RateLimitKind.Api, $"app{i}"), null);
        }

        await limiter.SyncAsync();
        Assert.Equal(50, limiter.PartitionCount);

        clock.Now = Start.AddMinutes(1);
        await limiter.SyncAsync();
        Assert.Equal(0, limiter.PartitionCount);
        var fresh = limiter.Acquire(RateLimitPartition.ForClient(RateLimitKind.Api, "app0"), null);
        Assert.Equal((true, 1), (fresh.Allowed, fresh.Remaining));
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
        return (Create(options, clock, new MemoryCounters()), clock);
    }

    private static ApiRateLimiter Create(RateLimitOptions options, ManualClock clock, MemoryCounters counters) =>
        new(new FixedOptions(options), clock, counters, NullLogger<ApiRateLimiter>.Instance);

    /// <summary>The <c>SharedCounters</c> table in memory, with its upsert's rule: an ended window starts again.</summary>
    private sealed class MemoryCounters : ISharedCounters
    {
        private readonly Dictionary<string, CounterValue> _rows = new(StringComparer.Ordinal);

        public bool Failing { get; set; }

        /// <summary>The sum of the counters whose key starts with <paramref name="purpose"/>.</summary>
        public long Total(string purpose)
        {
            lock (_rows)
            {
                return _rows.Where(r => r.Key.StartsWith(purpose + "|", StringComparison.Ordinal)).Sum(r => r.Value.Count);
            }
        }

        public Task<IReadOnlyDictionary<string, CounterValue>> AddAsync(IReadOnlyCollection<CounterHit> hits, CancellationToken cancellationToken = default)
        {
            if (Failing)
            {
                throw new InvalidOperationException("The database is down.");
            }

            lock (_rows)
            {
                var totals = new Dictionary<string, CounterValue>(StringComparer.Ordinal);
                foreach (var hit in hits)
                {
                    _rows[hit.Key] = _rows.TryGetValue(hit.Key, out var row) && row.WindowEnd > hit.WindowStart
                        ? row with { Count = row.Count + hit.Delta }
                        : new CounterValue(hit.Delta, hit.WindowStart, hit.WindowEnd);
                    totals[hit.Key] = _rows[hit.Key];
                }

                return Task.FromResult<IReadOnlyDictionary<string, CounterValue>>(totals);
            }
        }

        public Task<IReadOnlyDictionary<string, CounterValue>> ReadAsync(IReadOnlyCollection<string> keys, DateTimeOffset now, CancellationToken cancellationToken = default)
        {
            if (Failing)
            {
                throw new InvalidOperationException("The database is down.");
            }

            lock (_rows)
            {
                return Task.FromResult<IReadOnlyDictionary<string, CounterValue>>(
                    keys.Where(k => _rows.TryGetValue(k, out var row) && row.WindowEnd > now).ToDictionary(k => k, k => _rows[k], StringComparer.Ordinal));
            }
        }

        public Task ResetAsync(string key, CancellationToken cancellationToken = default)
        {
            lock (_rows)
            {
                _rows.Remove(key);
            }

            return Task.CompletedTask;
        }
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
