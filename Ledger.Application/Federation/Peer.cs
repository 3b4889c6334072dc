using Ledger.Domain.Federation;
using Ledger.Domain.Notes;

namespace Ledger.Application.Federation;

/// <summary>A configured peer ledger, checked (<see cref="PeerDirectory"/>).</summary>
/// <param name="Origin">Its log's origin.</param>
/// <param name="Url">Its base URL.</param>
/// <param name="Trust">Its log key and the policy its checkpoints must meet.</param>
/// <param name="HomeDomains">The domains it is home for.</param>
/// <remarks>Immutable.</remarks>
public sealed record Peer(string Origin, Uri Url, PeerTrust Trust, IReadOnlyList<string> HomeDomains)
{
    /// <summary>The peer's log verifier key.</summary>
    public NoteVerifier LogKey => Trust.LogKey;

    /// <summary>The policy its checkpoints must meet.</summary>
    public TlogPolicy Policy => Trust.Policy;
}
