using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ledger.Store;

/// <summary>
/// Checks, before a node creates anything, that its engine's connection string is well-formed and (PostgreSQL) that
/// the database answers. It opens no SQLite file (opening one creates it) and runs no migration.
/// </summary>
public static class StoreProbe
{
    /// <summary>Null when the store can be opened; otherwise one sentence naming the setting and what is wrong.</summary>
    /// <param name="engine"><see cref="StoreOptions.Sqlite"/> or <see cref="StoreOptions.Postgres"/>.</param>
    /// <param name="connectionString">The configured connection string; null or empty for SQLite's default file.</param>
    /// <param name="timeout">The longest the PostgreSQL connection attempt may take.</param>
    /// <param name="ct">Cancels the check.</param>
    public static async Task<string?> CheckAsync(string engine, string? connectionString, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        switch (engine)
        {
            case StoreOptions.Sqlite:
                return string.IsNullOrWhiteSpace(connectionString) ? null : CheckSqlite(connectionString);
            case StoreOptions.Postgres:
                return string.IsNullOrWhiteSpace(connectionString)
                    ? "Ledger:ConnectionString: required for the postgres engine"
                    : await CheckPostgresAsync(connectionString, timeout, ct).ConfigureAwait(false);
            default:
                return $"Ledger:Engine: '{engine}' is not one of {StoreOptions.Sqlite}, {StoreOptions.Postgres}";
        }
    }

    /// <summary>
    /// The origin of the log a store already holds, read without changing it (SQLite: only when the file exists, never
    /// creating it; PostgreSQL: one query); null when there is no log yet, or when the store cannot be read here
    /// (opening it reports that).
    /// </summary>
    /// <param name="engine"><see cref="StoreOptions.Sqlite"/> or <see cref="StoreOptions.Postgres"/>.</param>
    /// <param name="connectionString">The engine's connection string (for SQLite, naming the database file).</param>
    /// <param name="timeout">The longest the PostgreSQL query may take.</param>
    /// <param name="ct">Cancels the read.</param>
    public static async Task<string?> StoredOriginAsync(string engine, string connectionString, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            switch (engine)
            {
                case StoreOptions.Sqlite:
                    var sqlite = new SqliteConnectionStringBuilder(connectionString);
                    if (!File.Exists(sqlite.DataSource))
                    {
                        return null;
                    }

                    // Read-write, never create: a read-only connection to a WAL database leaves its -wal and -shm files
                    // behind, where the last read-write connection removes them; only a SELECT runs.
                    sqlite.Mode = SqliteOpenMode.ReadWrite;
                    sqlite.Pooling = false;
                    await using (var connection = new SqliteConnection(sqlite.ConnectionString))
                    {
                        await connection.OpenAsync(ct).ConfigureAwait(false);
                        await using var table = new SqliteCommand("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'log_head'", connection);
                        if (Convert.ToInt64(await table.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
                        {
                            return null;
                        }

                        await using var origin = new SqliteCommand("SELECT origin FROM log_head WHERE id = 1", connection);
                        return await origin.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
                    }

                case StoreOptions.Postgres:
                    var postgres = new NpgsqlConnectionStringBuilder(connectionString)
                    {
                        Timeout = (int)Math.Clamp(Math.Ceiling(timeout.TotalSeconds), 1, 1024),
                        Pooling = false,
                    };
                    await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
                    {
                        await connection.OpenAsync(ct).ConfigureAwait(false);
                        await using var table = new NpgsqlCommand("SELECT to_regclass('log_head') IS NOT NULL", connection);
                        if (await table.ExecuteScalarAsync(ct).ConfigureAwait(false) is not true)
                        {
                            return null;
                        }

                        await using var origin = new NpgsqlCommand("SELECT origin FROM log_head WHERE id = 1", connection);
                        return await origin.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
                    }

                default:
                    return null;
            }
        }
        catch (Exception e) when (e is DbException or SocketException or TimeoutException or IOException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? CheckSqlite(string connectionString)
    {
        try
        {
            var builder = new SqliteConnectionStringBuilder(connectionString);
            return string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:"
                ? "Ledger:ConnectionString: the sqlite engine needs a database file (Data Source=/path/ledger.db)"
                : null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            return "Ledger:ConnectionString: not a SQLite connection string: " + OneLine(e.Message);
        }
    }

    private static async Task<string?> CheckPostgresAsync(string connectionString, TimeSpan timeout, CancellationToken ct)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            return "Ledger:ConnectionString: not a PostgreSQL connection string: " + OneLine(e.Message);
        }

        var where = string.Create(CultureInfo.InvariantCulture, $"{builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? builder.Username ?? "(default)"}");
        builder.Timeout = (int)Math.Clamp(Math.Ceiling(timeout.TotalSeconds), 1, 1024);
        builder.Pooling = false;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout + TimeSpan.FromSeconds(1));
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(deadline.Token).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(deadline.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"Ledger:ConnectionString: PostgreSQL at {where} did not answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
        }
        catch (Exception e) when (e is DbException or SocketException or TimeoutException or IOException or ArgumentException or InvalidOperationException)
        {
            return $"Ledger:ConnectionString: cannot reach PostgreSQL at {where}: {OneLine(e.Message)}";
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
