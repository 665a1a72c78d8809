using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kryptos.IntegrationTests.Infrastructure;

/// <summary>
/// The database of a test host. By default a SQLite file in the host's root folder; when
/// <c>KRYPTOS_TEST_POSTGRES</c> holds the connection string of a PostgreSQL server (scripts/test
/// starts a private one), a database of its own on that server, named after the root folder, so
/// that two hosts on one root share it as two instances would. The host applies its migrations.
/// </summary>
public static class TestDatabase
{
    /// <summary>The PostgreSQL server the suite runs against, or null for SQLite.</summary>
    public static string? PostgresServer { get; } =
        Environment.GetEnvironmentVariable("KRYPTOS_TEST_POSTGRES") is { Length: > 0 } server ? server : null;

    public static bool IsPostgres => PostgresServer is not null;

    /// <summary>The host settings that point it at the database of <paramref name="root"/>.</summary>
    public static IReadOnlyDictionary<string, string> Settings(string root) => new Dictionary<string, string>
    {
        ["Database:Provider"] = IsPostgres ? "Postgres" : "Sqlite",
        ["ConnectionStrings:Kryptos"] = ConnectionString(root),
    };

    public static string ConnectionString(string root) => IsPostgres
        ? new NpgsqlConnectionStringBuilder(PostgresServer) { Database = DatabaseName(root) }.ConnectionString
        : $"Data Source={Path.Combine(root, "kryptos.db")}";

    /// <summary>Creates the PostgreSQL database of <paramref name="root"/> when it does not exist yet (nothing for SQLite).</summary>
    public static void EnsureCreated(string root)
    {
        if (!IsPostgres)
        {
            return;
        }

        // Two hosts on one root (two instances) start together: one creates, the other finds it.
        lock (CreationGate)
        {
            Create(root);
        }
    }

    private static readonly Lock CreationGate = new();

    private static void Create(string root)
    {
        using var connection = new NpgsqlConnection(PostgresServer);
        connection.Open();
        using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", DatabaseName(root));
        if (exists.ExecuteScalar() is not null)
        {
            return;
        }

        try
        {
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName(root)}\"", connection);
            create.ExecuteNonQuery();
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another host on the same root created it at the same moment.
        }
    }

    /// <summary>Drops the PostgreSQL database of <paramref name="root"/> (nothing for SQLite: the folder goes).</summary>
    public static async Task DropAsync(string root)
    {
        if (!IsPostgres)
        {
            SqliteConnection.ClearAllPools();
            return;
        }

        await using (var pooled = new NpgsqlConnection(ConnectionString(root)))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(PostgresServer);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName(root)}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>A new, unpooled connection to the database of <paramref name="root"/>, for tests that read it as an outsider would.</summary>
    public static async Task<DbConnection> OpenAsync(string root)
    {
        DbConnection connection = IsPostgres
            ? new NpgsqlConnection(ConnectionString(root) + ";Pooling=false")
            : new SqliteConnection(ConnectionString(root) + ";Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs a scalar query; parameters are named <c>@p0</c>, <c>@p1</c>… in <paramref name="sql"/>.</summary>
    public static async Task<long> CountAsync(string root, string sql, params object[] values)
    {
        await using var connection = await OpenAsync(root);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = values[i];
            command.Parameters.Add(parameter);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Every value of every column of every table, as text (bytes read as UTF-8): what someone with a
    /// copy of the database would see.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Tables, IReadOnlyList<string> Values)> DumpAsync(string root)
    {
        await using var connection = await OpenAsync(root);
        var tables = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = IsPostgres
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                : "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var values = new List<string>();
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    values.Add(reader.IsDBNull(i) ? ""
                        : reader.GetValue(i) is byte[] bytes ? Encoding.UTF8.GetString(bytes)
                        : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "");
                }
            }
        }

        return (tables, values);
    }

    private static string DatabaseName(string root) =>
        "kryptos_test_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(root))))[..24];
}
