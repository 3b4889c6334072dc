using Ledger.Domain.Events;

namespace Ledger.Domain.Federation;

// The ledger's findings about its peers, stream "$federation".

/// <summary>An event in the <c>$federation</c> stream.</summary>
/// <remarks>Implementations are immutable sealed records carrying a <see cref="WireNameAttribute"/>.</remarks>
public interface IFederationEvent
{
    /// <summary>The peer log's origin line.</summary>
    public string Origin { get; }
}

/// <summary>How a split view was shown.</summary>
public enum SplitViewKind
{
    /// <summary>Two checkpoints signed by the log state the same size with different roots.</summary>
    SameSizeDifferentRoot,

    /// <summary>A consistency proof that leads to the log's new signed root also leads, at the size of the checkpoint
    /// already held, to a root other than the one the log signed there.</summary>
    ProvenInconsistent,
}

/// <summary>
/// A peer log showed two views that cannot both be true: both checkpoints are validly signed by a key the ledger
/// trusts for the origin. From this event on the peer is untrusted.
/// </summary>
/// <param name="Origin">The log's origin line.</param>
/// <param name="Kind">How the split was shown.</param>
/// <param name="HeldNote">The signed checkpoint the ledger held (cosigned) for the origin.</param>
/// <param name="ConflictingNote">The signed checkpoint presented that conflicts with it, as received.</param>
/// <param name="Proof">The consistency proof presented with it (base64 hashes), from the held size to the new one;
/// empty for <see cref="SplitViewKind.SameSizeDifferentRoot"/>.</param>
/// <param name="Source">Where the conflicting checkpoint came from (<c>witness-submission</c>).</param>
[WireName("federation.split-view-detected.v1")]
public sealed record SplitViewDetected(
    string Origin, SplitViewKind Kind, string HeldNote, string ConflictingNote, IReadOnlyList<string> Proof, string Source) : IFederationEvent;
