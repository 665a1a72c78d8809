using System.ComponentModel.DataAnnotations;

namespace Kryptos.Connect.Usage;

/// <summary>Settings of the <c>Usage</c> section (see docs/usage.md and docs/configuration.md).</summary>
public sealed class UsageOptions
{
    public const string SectionName = "Usage";

    public MeteringOptions Metering { get; set; } = new();

    public RollupOptions Rollup { get; set; } = new();

    public RetentionOptions Retention { get; set; } = new();
}

public sealed class MeteringOptions
{
    /// <summary>Whether <c>/v1</c> requests are metered at all (off only to measure what metering costs).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Records held in memory before the writer stores them; beyond, records are dropped and counted.</summary>
    [Range(100, 1_000_000)]
    public int BufferCapacity { get; set; } = 50_000;

    /// <summary>Records per write; a full batch is written at once, a partial one after <see cref="FlushInterval"/>.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed class RollupOptions
{
    /// <summary>Whether this instance runs the rollup and retention passes (a pass at start, then every <see cref="Interval"/>).</summary>
    public bool Enabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class RetentionOptions
{
    /// <summary>Raw records: the live part of the page and each user's 30-day counts read them.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Raw { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Hourly buckets: the 24-hour and 7-day charts read them (so at least 8 days).</summary>
    [Range(typeof(TimeSpan), "8.00:00:00", "3650.00:00:00")]
    public TimeSpan Hourly { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Daily buckets: the 30-day chart reads them (so at least 31 days).</summary>
    [Range(typeof(TimeSpan), "31.00:00:00", "3650.00:00:00")]
    public TimeSpan Daily { get; set; } = TimeSpan.FromDays(400);
}
