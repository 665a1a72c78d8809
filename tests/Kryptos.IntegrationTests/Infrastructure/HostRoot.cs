namespace Kryptos.IntegrationTests.Infrastructure;

/// <summary>
/// The working directory and database of host processes (<see cref="HostProcess"/>), for tests that
/// run several processes on one database in turn, as a deployment does: the upgrade step, then the
/// instances. Disposing it drops the database and removes the folder.
/// </summary>
public sealed class HostRoot : IAsyncDisposable
{
    private HostRoot(string path) => Path = path;

    /// <summary>The folder: the processes' working directory and, on SQLite, the database file's home.</summary>
    public string Path { get; }

    /// <summary>A new, empty folder; on PostgreSQL its database is created too (empty, without migrations).</summary>
    public static HostRoot Create()
    {
        var root = new HostRoot(Directory.CreateTempSubdirectory("kryptos-process-").FullName);
        TestDatabase.EnsureCreated(root.Path);
        return root;
    }

    public async ValueTask DisposeAsync()
    {
        await TestDatabase.DropAsync(Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open stays in the temp folder; it harms nothing.
        }
    }
}
