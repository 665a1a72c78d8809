using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Usage;

/// <summary>
/// The in-memory buffer between metered requests and the database: a bounded channel that a request
/// writes to without waiting, drained in batches by <see cref="UsageWriter"/>. When the buffer is
/// full (the database is slower than the traffic), records are dropped and counted rather than
/// making requests wait: losing a few counts is better than slowing the API.
/// </summary>
public sealed partial class UsageRecorder
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    private readonly Channel<UsageRecord> _channel;
    private readonly TimeProvider _time;
    private readonly ILogger<UsageRecorder> _logger;
    private long _dropped;
    private long _unattributed;
    private long _lastWarningTicks = long.MinValue;

    public UsageRecorder(IOptions<UsageOptions> options, TimeProvider time, ILogger<UsageRecorder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _logger = logger;
        Enabled = options.Value.Metering.Enabled;
        _channel = Channel.CreateBounded<UsageRecord>(new BoundedChannelOptions(options.Value.Metering.BufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite answers false when full: the record is dropped, nobody waits.
            SingleReader = true,
        });
    }

    /// <summary>Whether requests are metered (<c>Usage:Metering:Enabled</c>).</summary>
    public bool Enabled { get; }

    /// <summary>Records dropped since start because the buffer was full or a batch could not be written.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Requests refused before any workspace was known (no or a bad credential): counted here only.</summary>
    public long Unattributed => Interlocked.Read(ref _unattributed);

    internal ChannelReader<UsageRecord> Reader => _channel.Reader;

    /// <summary>Buffers <paramref name="record"/>; never waits.</summary>
    public void Record(UsageRecord record)
    {
        if (!_channel.Writer.TryWrite(record))
        {
            CountDropped(1);
        }
    }

    /// <summary>Counts a request that belongs to no workspace (a 401, say).</summary>
    public void RecordUnattributed() => Interlocked.Increment(ref _unattributed);

    internal void CountDropped(int count)
    {
        var total = Interlocked.Add(ref _dropped, count);
        var now = _time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastWarningTicks);
        // At most one warning a minute, whatever the rate of drops.
        if (now - last >= WarningInterval.Ticks && Interlocked.CompareExchange(ref _lastWarningTicks, now, last) == last)
        {
            LogDropped(_logger, total);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage metering dropped records ({Total} since start): the buffer is full or the database refused a batch")]
    private static partial void LogDropped(ILogger logger, long total);
}
