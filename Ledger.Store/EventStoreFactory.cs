using Ledger.Store.Engine;
using Ledger.Store.Postgres;
using Ledger.Store.Sqlite;

namespace Ledger.Store;

/// <summary>Opens an <see cref="IEventStore"/> on the configured engine.</summary>
public static class EventStoreFactory
{
    /// <summary>
    /// Opens the store: applies pending schema migrations (idempotent, safe when several processes
    /// start at once), creates or checks the log head (its origin must match
    /// <see cref="StoreOptions.Origin"/>), rebuilds the in-memory Merkle frontier from the stored
    /// tiles and checks it against the stored root (<see cref="StoreCorruptedException"/> otherwise).
    /// </summary>
    /// <exception cref="ArgumentException">The options are incomplete or name an unknown engine.</exception>
    /// <exception cref="InvalidOperationException">The database belongs to another origin or has a newer schema.</exception>
    public static async Task<IEventStore> OpenAsync(StoreOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Origin, nameof(options));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        if (options.MaxBatchEvents < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxBatchEvents, "MaxBatchEvents must be at least 1.");
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PollInterval, "PollInterval must be positive.");
        }

        var signal = new SizeSignal();
        return await EventStore.OpenAsync(CreateEngine(options, signal), options, signal, ct).ConfigureAwait(false);
    }

    internal static StoreEngine CreateEngine(StoreOptions options, SizeSignal signal) => options.Engine switch
    {
        StoreOptions.Sqlite => new SqliteEngine(options.ConnectionString, options.PollInterval),
        StoreOptions.Postgres => new PostgresEngine(options.ConnectionString, signal),
        _ => throw new ArgumentException(
            $"Unknown storage engine '{options.Engine}'; use '{StoreOptions.Sqlite}' or '{StoreOptions.Postgres}'.", nameof(options)),
    };
}
