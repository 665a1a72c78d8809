using System.Threading.Channels;

namespace Kryptos.Connect.Portfolio.Importing;

/// <summary>
/// The ids of import jobs waiting for the background worker. The job itself (and its file) is in the
/// database, so a restart loses nothing: the worker queues every unfinished job again when it starts.
/// </summary>
public sealed class ImportBacklog
{
    private readonly Channel<Guid> channel = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(Guid jobId) => channel.Writer.TryWrite(jobId);

    internal IAsyncEnumerable<Guid> ReadAllAsync(CancellationToken cancellationToken) => channel.Reader.ReadAllAsync(cancellationToken);
}
