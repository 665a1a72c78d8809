using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Kryptos.Connect.Data;

/// <summary>
/// Inserts many new rows of one entity type with multi-row <c>INSERT … VALUES (…), (…)</c>
/// statements, inside the context's current transaction, without the change tracker. EF Core's
/// <c>SaveChanges</c> tracks, snapshots and fixes up every entity, which costs most of an import of
/// ten thousand transactions; this writes the same columns with the same value conversions, because
/// every value goes through the property's own type mapping (<see cref="RelationalTypeMapping.CreateParameter"/>),
/// the one <c>SaveChanges</c> uses. Only for plain inserts of entities whose keys are set by the
/// caller: no generated values are read back, no navigations are followed.
/// </summary>
public static class BulkInsert
{
    /// <summary>Parameters per statement: well under SQLite's 32,766 and PostgreSQL's 65,535.</summary>
    private const int MaxParametersPerStatement = 256;

    private const int MaxRowsPerStatement = 500;

    /// <summary>
    /// Inserts <paramref name="rows"/> into <typeparamref name="T"/>'s table and returns how many
    /// were written. <paramref name="progress"/> is called after each statement with the rows written
    /// so far. Requires an open transaction when atomicity matters: it joins the current one.
    /// </summary>
    public static async Task<int> BulkInsertAsync<T>(this DbContext db, IReadOnlyList<T> rows, Action<int>? progress = null, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return 0;
        }

        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity type of this context.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var columns = entityType.GetProperties()
            .Where(p => !p.IsShadowProperty() && p.GetColumnName(table) is not null && p.GetComputedColumnSql() is null)
            .Select(p => new Column(p.GetColumnName(table)!, p.GetGetter(), p.GetRelationalTypeMapping(), p.IsNullable))
            .ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var rowsPerStatement = Math.Clamp(MaxParametersPerStatement / columns.Length, 1, MaxRowsPerStatement);

        var connection = db.Database.GetDbConnection();
        var openedHere = connection.State != System.Data.ConnectionState.Open;
        if (openedHere)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            DbCommand? fullCommand = null;
            var written = 0;
            try
            {
                while (written < rows.Count)
                {
                    var count = Math.Min(rowsPerStatement, rows.Count - written);
                    DbCommand command;
                    if (count == rowsPerStatement)
                    {
                        // Every full batch reuses one command text, so the provider prepares it once.
                        fullCommand ??= CreateCommand(connection, transaction, sql, table, columns, count, db.Database.GetCommandTimeout());
                        command = fullCommand;
                    }
                    else
                    {
                        command = CreateCommand(connection, transaction, sql, table, columns, count, db.Database.GetCommandTimeout());
                    }

                    try
                    {
                        command.Parameters.Clear();
                        for (var r = 0; r < count; r++)
                        {
                            var entity = rows[written + r];
                            for (var c = 0; c < columns.Length; c++)
                            {
                                var column = columns[c];
                                command.Parameters.Add(column.Mapping.CreateParameter(command, sql.GenerateParameterName(ParameterName(r, c, columns.Length)), column.Getter.GetClrValue(entity), column.Nullable));
                            }
                        }

                        await command.ExecuteNonQueryAsync(cancellationToken);
                    }
                    finally
                    {
                        if (!ReferenceEquals(command, fullCommand))
                        {
                            await command.DisposeAsync();
                        }
                    }

                    written += count;
                    progress?.Invoke(written);
                }
            }
            finally
            {
                if (fullCommand is not null)
                {
                    await fullCommand.DisposeAsync();
                }
            }

            return written;
        }
        finally
        {
            if (openedHere)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private static DbCommand CreateCommand(DbConnection connection, DbTransaction? transaction, ISqlGenerationHelper sql, StoreObjectIdentifier table, Column[] columns, int rows, int? timeoutSeconds)
    {
        var text = new StringBuilder("INSERT INTO ")
            .Append(sql.DelimitIdentifier(table.Name, table.Schema))
            .Append(" (")
            .AppendJoin(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))
            .Append(") VALUES ");
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++)
            {
                text.Append(c == 0 ? string.Empty : ", ").Append(sql.GenerateParameterNamePlaceholder(ParameterName(r, c, columns.Length)));
            }

            text.Append(')');
        }

        var command = connection.CreateCommand();
        command.CommandText = text.Append(sql.StatementTerminator).ToString();
        command.Transaction = transaction;
        if (timeoutSeconds is { } timeout)
        {
            command.CommandTimeout = timeout;
        }

        return command;
    }

    private static string ParameterName(int row, int column, int columns) =>
        "p" + ((row * columns) + column).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Column(string Name, IClrPropertyGetter Getter, RelationalTypeMapping Mapping, bool Nullable);
}
