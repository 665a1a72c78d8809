using System.Threading.Channels;

namespace Kryptos.Connect.Portfolio.Reports;

/// <summary>The ids of reports to generate, from the requests to the worker.</summary>
public sealed class ReportChannel
{
    private readonly Channel<Guid> channel = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(Guid reportId) => channel.Writer.TryWrite(reportId);

    internal IAsyncEnumerable<Guid> ReadAllAsync(CancellationToken cancellationToken) => channel.Reader.ReadAllAsync(cancellationToken);
}
