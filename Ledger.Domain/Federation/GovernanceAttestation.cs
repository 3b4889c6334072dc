using System.Diagnostics.CodeAnalysis;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Federation;

/// <summary>
/// A governance attestation (DESIGN §8.2, docs/FORMAT.md §10.6): what a ledger serves to prove to a peer what it published
/// for the domains it is home for — its signed statement (<see cref="GovernanceStatement"/>), the checkpoint (meeting
/// its policy) the statement is made at, every entry of its <c>$governance</c> stream below that checkpoint with its
/// inclusion proof, and optionally a consistency proof from a size the peer already holds.
/// <see cref="GovernanceAttestationVerifier"/> checks it.
/// </summary>
/// <remarks>
/// The lines are those of an <see cref="ExecutionAttestation"/> under another header. Parsing is strict (one spelling per
/// document); <see cref="Format"/> writes exactly what <see cref="TryParse"/> reads. Immutable and thread-safe.
/// </remarks>
public sealed class GovernanceAttestation
{
    /// <summary>The first line.</summary>
    public const string Header = "governance-attestation@v1";

    /// <summary>Creates an attestation.</summary>
    /// <exception cref="ArgumentException">No entry, or a proof longer than <see cref="ExecutionAttestation.MaxProofHashes"/>.</exception>
    public GovernanceAttestation(SignedNote statement, SignedNote checkpoint, IReadOnlyList<AttestedEntry> entries, long? consistencyFrom = null, IReadOnlyList<byte[]>? consistencyProof = null)
    {
        AttestationText.Check(statement, checkpoint, entries, consistencyProof);
        Parts = new AttestationText.Parts(statement, checkpoint, entries, consistencyFrom, consistencyFrom is null ? [] : consistencyProof ?? []);
    }

    /// <summary>The serving ledger's signed statement (its text is a <see cref="GovernanceStatement"/>).</summary>
    public SignedNote Statement => Parts.Statement;

    /// <summary>The signed checkpoint, with its cosignatures.</summary>
    public SignedNote CheckpointNote => Parts.Checkpoint;

    /// <summary>The <c>$governance</c> entries below the checkpoint's size, in stream order.</summary>
    public IReadOnlyList<AttestedEntry> Entries => Parts.Entries;

    internal AttestationText.Parts Parts { get; }

    /// <summary>The text (FORMAT §10.6).</summary>
    public string Format() => AttestationText.Format(Header, Parts);

    /// <summary>The digest of the text (<see cref="ExecutionAttestation.DigestOf"/>).</summary>
    public string Digest() => ExecutionAttestation.DigestOf(Format());

    /// <inheritdoc />
    public override string ToString() => Format();

    /// <summary>Parses the text; false and the reason when it is not exactly the format.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out GovernanceAttestation? attestation, [NotNullWhen(false)] out string? error)
    {
        if (!AttestationText.TryParse(text, Header, out var parts, out error))
        {
            attestation = null;
            return false;
        }

        attestation = new GovernanceAttestation(parts.Statement, parts.Checkpoint, parts.Entries, parts.ConsistencyFrom, parts.ConsistencyProof);
        return true;
    }
}
