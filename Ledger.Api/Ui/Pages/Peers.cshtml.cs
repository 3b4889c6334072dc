using Ledger.Application.Federation;
using Ledger.Application.Hosting;
using Ledger.Application.Witnessing;
using Ledger.Projections.Engine;
using Ledger.Projections.Reading;
using Ledger.Store.Witnessing;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ledger.Api.Ui.Pages;

/// <summary>
/// Peers: the ledgers configured under <c>Ledger:Peers</c> (origin, URL, log key, home domains, the policy their
/// checkpoints must meet) with the sync state this ledger holds of each: the latest attestation of one of its
/// executions this ledger verified and recorded (the read model of <c>federation.parent-attested.v1</c>), and, when
/// this ledger witnesses the peer's log, the latest checkpoint it cosigned and any split view. Nothing here asks the
/// peer: the page shows what this ledger already holds. Also the witnesses this ledger submits its own checkpoints to.
/// </summary>
public sealed class PeersModel(LedgerNode node, ProjectionEngine engine, TimeProvider time) : PageModel
{
    public IReadOnlyList<Peer> Peers { get; private set; } = [];

    public IReadOnlyDictionary<string, PeerAttestationView> Attestations { get; private set; } = new Dictionary<string, PeerAttestationView>();

    public IReadOnlyDictionary<string, WitnessedLog> Witnessed { get; private set; } = new Dictionary<string, WitnessedLog>();

    public IReadOnlyList<WitnessTarget> Witnesses => node.Witnesses.Targets;

    public string? Quorum => node.Witnesses.Policy?.QuorumName;

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = time.GetUtcNow();
        Peers = [.. node.Peers.All];
        if (Peers.Count == 0)
        {
            return;
        }

        Attestations = (await engine.ReadModels.ListPeerAttestationsAsync(ct).ConfigureAwait(false)).ToDictionary(a => a.Ledger, StringComparer.Ordinal);
        Witnessed = (await node.Store.ListWitnessedAsync(ct).ConfigureAwait(false)).ToDictionary(w => w.Origin, StringComparer.Ordinal);
    }
}
