namespace Ledger.Projections.Storage;

/// <summary>Proof of being the one runner of a projection (or job) until disposed.</summary>
internal abstract class RunnerLease : IAsyncDisposable
{
    /// <summary>Whether the lease still holds (a PostgreSQL lease dies with its connection).</summary>
    public abstract bool IsHeld { get; }

    public abstract ValueTask DisposeAsync();
}
