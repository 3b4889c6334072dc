using Ledger.Application.Hosting;
using Ledger.Application.Witnessing;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ledger.Api.Ui.Pages;

/// <summary>
/// Peers: the other ledgers this one federates with and their sync state. Federation is not part of this build
/// yet, so the page says so; it lists the witnesses this ledger submits its checkpoints to, which exist today.
/// </summary>
public sealed class PeersModel(LedgerNode node) : PageModel
{
    public IReadOnlyList<WitnessTarget> Witnesses => node.Witnesses.Targets;

    public string? Quorum => node.Witnesses.Policy?.QuorumName;

    public void OnGet()
    {
    }
}
