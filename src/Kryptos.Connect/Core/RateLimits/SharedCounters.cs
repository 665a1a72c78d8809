using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting.Pruning;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage;

namespace Kryptos.Connect.Core.RateLimits;

/// <summary>
/// One counter row shared by every instance: how many hits <see cref="Key"/> had in the window that
/// began at <see cref="WindowStart"/> and ends at <see cref="ExpiresAt"/>. Times are Unix
/// milliseconds so that the raw upsert of <see cref="SharedCounters"/> binds the same values on SQLite
/// and PostgreSQL (EF's DateTimeOffset mapping differs between them).
/// </summary>
public sealed class SharedCounter
{
    public const int KeyMaxLength = 100;

    /// <summary>A purpose and a hash of who is counted (<see cref="SharedCounters.KeyOf"/>): no address or email in clear.</summary>
    public required string Key { get; init; }

    public long WindowStart { get; set; }

    public long Count { get; set; }

    /// <summary>When the window ends; the next hit after it starts a new window, and pruning deletes the row.</summary>
    public long ExpiresAt { get; set; }
}

internal sealed class SharedCounterConfiguration : IEntityTypeConfiguration<SharedCounter>
{
    public void Configure(EntityTypeBuilder<SharedCounter> builder)
    {
        builder.ToTable("SharedCounters");
        builder.HasKey(c => c.Key);
        builder.Property(c => c.Key).HasMaxLength(SharedCounter.KeyMaxLength);
        builder.HasIndex(c => c.ExpiresAt);
    }
}

/// <summary>A hit (or several) to add to a counter whose window, if none is running, is [start, end).</summary>
public readonly record struct CounterHit(string Key, long Delta, DateTimeOffset WindowStart, DateTimeOffset WindowEnd);

/// <summary>A counter's value in its current window.</summary>
public readonly record struct CounterValue(long Count, DateTimeOffset WindowStart, DateTimeOffset WindowEnd);

/// <summary>
/// Counters in fixed windows that every instance shares through the database: the login-failure
/// throttle, the account forms' and leak reports' ceilings, and the API and token-endpoint limits
/// (these in batches, see <see cref="ApiRateLimiter"/>). An interface so that the limiter's unit tests
/// can share one in memory between two limiters.
/// </summary>
public interface ISharedCounters
{
    /// <summary>
    /// Adds each hit to its counter and returns the counters' totals after the addition, by key. A
    /// counter whose window has ended by a hit's <see cref="CounterHit.WindowStart"/> starts again
    /// from that hit's window.
    /// </summary>
    Task<IReadOnlyDictionary<string, CounterValue>> AddAsync(IReadOnlyCollection<CounterHit> hits, CancellationToken cancellationToken = default);

    /// <summary>The counters of <paramref name="keys"/> whose window is still running at <paramref name="now"/>; a missing key is at zero.</summary>
    Task<IReadOnlyDictionary<string, CounterValue>> ReadAsync(IReadOnlyCollection<string> keys, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Sets a counter back to zero (a correct password clears its failures).</summary>
    Task ResetAsync(string key, CancellationToken cancellationToken = default);
}

/// <summary>
/// <see cref="ISharedCounters"/> in the <c>SharedCounters</c> table. The addition is one statement,
/// <c>INSERT … ON CONFLICT (Key) DO UPDATE SET Count = Count + excluded.Count … RETURNING</c>, which
/// SQLite (3.35+) and PostgreSQL both accept, so two instances adding at once never lose a hit and
/// each learns the total in the same round trip. Table and column names come from the EF model and
/// are quoted by the provider, so the statement follows whatever naming the provider's model uses.
/// </summary>
public sealed class SharedCounters(IServiceScopeFactory scopes) : ISharedCounters
{
    /// <summary>Rows per statement: 4 parameters each, far below SQLite's 32,766 and PostgreSQL's 65,535.</summary>
    private const int Batch = 200;

    /// <summary>
    /// The counter key of <paramref name="purpose"/> for <paramref name="parts"/> (an account, an address,
    /// a client): the purpose in clear, the rest hashed with SHA-256, so keys have a bounded length
    /// and the table holds no email or address.
    /// </summary>
    public static string KeyOf(string purpose, params ReadOnlySpan<string?> parts)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var joined = new StringBuilder();
        foreach (var part in parts)
        {
            joined.Append(part).Append('\n');
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(joined.ToString()));
        var key = $"{purpose}|{Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
        return key.Length <= SharedCounter.KeyMaxLength ? key : throw new ArgumentException("The purpose is too long for a counter key.", nameof(purpose));
    }

    public async Task<IReadOnlyDictionary<string, CounterValue>> AddAsync(IReadOnlyCollection<CounterHit> hits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hits);
        var totals = new Dictionary<string, CounterValue>(StringComparer.Ordinal);
        if (hits.Count == 0)
        {
            return totals;
        }

        // One row per key and statement: PostgreSQL refuses to update a row twice in one upsert.
        var merged = hits.GroupBy(h => h.Key, StringComparer.Ordinal)
            .Select(g => g.First() with { Delta = g.Sum(h => h.Delta) })
            .ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        var sql = new UpsertSql(db);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var chunk in merged.Chunk(Batch))
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = sql.For(chunk.Length);
                for (var i = 0; i < chunk.Length; i++)
                {
                    var hit = chunk[i];
                    AddParameter(command, $"p{(i * 4) + 0}", hit.Key);
                    AddParameter(command, $"p{(i * 4) + 1}", hit.WindowStart.ToUnixTimeMilliseconds());
                    AddParameter(command, $"p{(i * 4) + 2}", hit.Delta);
                    AddParameter(command, $"p{(i * 4) + 3}", hit.WindowEnd.ToUnixTimeMilliseconds());
                }

                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    totals[reader.GetString(0)] = new CounterValue(reader.GetInt64(1),
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return totals;
    }

    public async Task<IReadOnlyDictionary<string, CounterValue>> ReadAsync(IReadOnlyCollection<string> keys, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var values = new Dictionary<string, CounterValue>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return values;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        var at = now.ToUnixTimeMilliseconds();
        foreach (var chunk in keys.Chunk(Batch))
        {
            var rows = await db.Set<SharedCounter>().AsNoTracking()
                .Where(c => chunk.Contains(c.Key) && c.ExpiresAt > at)
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                values[row.Key] = new CounterValue(row.Count,
                    DateTimeOffset.FromUnixTimeMilliseconds(row.WindowStart), DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAt));
            }
        }

        return values;
    }

    public async Task ResetAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        await db.Set<SharedCounter>().Where(c => c.Key == key).ExecuteDeleteAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>The upsert's text, with the table's and columns' names as the provider's model has them.</summary>
    private sealed class UpsertSql
    {
        private readonly string _table;
        private readonly string _key;
        private readonly string _start;
        private readonly string _count;
        private readonly string _expires;

        public UpsertSql(KryptosDbContext db)
        {
            var entity = db.Model.FindEntityType(typeof(SharedCounter))!;
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var helper = db.GetService<ISqlGenerationHelper>();
            string Column(string property) => helper.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
            _table = helper.DelimitIdentifier(table.Name, table.Schema);
            _key = Column(nameof(SharedCounter.Key));
            _start = Column(nameof(SharedCounter.WindowStart));
            _count = Column(nameof(SharedCounter.Count));
            _expires = Column(nameof(SharedCounter.ExpiresAt));
        }

        public string For(int rows)
        {
            var values = string.Join(", ", Enumerable.Range(0, rows).Select(i => string.Create(CultureInfo.InvariantCulture,
                $"(@p{(i * 4) + 0}, @p{(i * 4) + 1}, @p{(i * 4) + 2}, @p{(i * 4) + 3})")));
            // The right-hand sides all read the row as it was before this update (both databases), so
            // "ended" is the same test in the three assignments: the stored window ended before the
            // hit's window began, and the hit starts a new one.
            var ended = $"{_table}.{_expires} <= excluded.{_start}";
            return $"""
                INSERT INTO {_table} ({_key}, {_start}, {_count}, {_expires}) VALUES {values}
                ON CONFLICT ({_key}) DO UPDATE SET
                  {_count} = CASE WHEN {ended} THEN excluded.{_count} ELSE {_table}.{_count} + excluded.{_count} END,
                  {_start} = CASE WHEN {ended} THEN excluded.{_start} ELSE {_table}.{_start} END,
                  {_expires} = CASE WHEN {ended} THEN excluded.{_expires} ELSE {_table}.{_expires} END
                RETURNING {_key}, {_count}, {_start}, {_expires}
                """;
        }
    }
}

/// <summary>Deletes counters whose window ended (a later hit would start them again anyway).</summary>
internal sealed class SharedCounterPruner(KryptosDbContext db) : IPruner
{
    public string Name => "ended rate-limit counters";

    public Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = now.ToUnixTimeMilliseconds();
        return db.Set<SharedCounter>().Where(c => c.ExpiresAt <= at).ExecuteDeleteAsync(cancellationToken);
    }
}
