using Ledger.Domain.Notes;

namespace Ledger.Application.Witnessing;

/// <summary>A witness the ledger submits to: its configured name, its submission prefix and its cosignature key.</summary>
public sealed record WitnessTarget(string Name, Uri Url, NoteVerifier Key)
{
    /// <summary>The add-checkpoint URL (c2sp.org/tlog-witness: <c>&lt;prefix&gt;/add-checkpoint</c>).</summary>
    public Uri AddCheckpointUrl => new(Url.AbsoluteUri.TrimEnd('/') + "/add-checkpoint");
}
