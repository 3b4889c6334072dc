using Ledger.Projections.Engine;
using Ledger.Projections.Reading;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ledger.Api.Ui.Pages;

/// <summary>The emitters the ledger knows: domains, keys, revocations and what each appended.</summary>
public sealed class EmittersModel(ProjectionEngine engine) : PageModel
{
    public IReadOnlyList<EmitterView> Emitters { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Emitters = await engine.ReadModels.ListEmittersAsync(ct).ConfigureAwait(false);
}
