namespace Kryptos.Connect.Hosting.Pruning;

/// <summary>
/// One kind of stale data a feature removes on the pruning schedule (<see cref="PruningService"/>).
/// Each feature implements and registers its own (<see cref="PruningExtensions.AddPruner{TPruner}"/>)
/// in its own folder, so the scheduler knows nothing of sessions, tokens or invitations.
/// </summary>
public interface IPruner
{
    /// <summary>What is removed, for the log line: "Pruned 3 expired sessions".</summary>
    string Name { get; }

    /// <summary>Removes what is stale at <paramref name="now"/> and returns how many rows went.</summary>
    Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
