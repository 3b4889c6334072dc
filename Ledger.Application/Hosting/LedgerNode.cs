using Ledger.Domain.Notes;
using Ledger.Store;

namespace Ledger.Application.Hosting;

/// <summary>What one running ledger node holds for its lifetime: the store, the ledger's signing key and its origin.</summary>
public sealed class LedgerNode(IEventStore store, NoteSigner signer, LedgerOptions options, string dataDir) : IAsyncDisposable
{
    /// <summary>The name under which the ledger itself appends (refusals, cascades, sweeps, registry changes).</summary>
    public const string LedgerEmitter = Ledger.Domain.Bundles.BundleFormat.LedgerEmitter;

    public IEventStore Store { get; } = store;

    public NoteSigner Signer { get; } = signer;

    public LedgerOptions Options { get; } = options;

    public string DataDir { get; } = dataDir;

    public string Origin => Store.Origin;

    /// <summary>The ledger's witness key (cosignature/v1).</summary>
    public required Witnessing.WitnessKey WitnessKey { get; init; }

    /// <summary>The witnesses this ledger submits to, and the policy its receipts meet.</summary>
    public Witnessing.WitnessTargets Witnesses { get; init; } = Witnessing.WitnessTargets.None;

    /// <summary>The peer ledgers (DESIGN §8.2).</summary>
    public Federation.PeerDirectory Peers { get; init; } = Federation.PeerDirectory.None;

    /// <summary>The logs this ledger witnesses.</summary>
    public required Witnessing.WitnessConfiguration WitnessedLogs { get; init; }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync().ConfigureAwait(false);
        Signer.Dispose();
        WitnessKey.Dispose();
    }
}
