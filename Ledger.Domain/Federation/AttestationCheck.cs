using System.Globalization;
using Ledger.Domain.Events;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Federation;

/// <summary>
/// The outcome of <see cref="AttestationVerifier.Verify"/>: verified (with the facts it proves) or one failure with its
/// evidence. A closed set with stable codes.
/// </summary>
/// <remarks>Immutable.</remarks>
public abstract record AttestationCheck
{
    private AttestationCheck(string code) => Code = code;

    /// <summary>The stable code, e.g. <c>attestation-stale</c>.</summary>
    public string Code { get; }

    /// <summary>Whether the attestation verified.</summary>
    public bool IsVerified => this is Verified or GovernanceVerified;

    /// <summary>One sentence for people, naming the offending values.</summary>
    public abstract string Describe();

    /// <summary>Everything checked out; <paramref name="Execution"/> holds the proven facts.</summary>
    public sealed record Verified(AttestedExecution Execution) : AttestationCheck("attestation-verified")
    {
        /// <inheritdoc />
        public override string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"execution '{Execution.Statement.Execution}' of '{Execution.Statement.Origin}' is {Execution.State.Status.ToString().ToLowerInvariant()} at size {Execution.Statement.Size}");
    }

    /// <summary>A governance attestation checked out; <paramref name="Governance"/> holds the proven facts.</summary>
    public sealed record GovernanceVerified(AttestedGovernance Governance) : AttestationCheck("attestation-verified")
    {
        /// <inheritdoc />
        public override string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"the governance of '{Governance.Statement.Origin}' at size {Governance.Statement.Size}: home for {string.Join(", ", Governance.Book.HomeDomains.Order(StringComparer.Ordinal))}");
    }

    /// <summary>The text is not an attestation, or its parts are malformed.</summary>
    public sealed record Malformed(string Reason) : AttestationCheck("attestation-malformed")
    {
        /// <inheritdoc />
        public override string Describe() => "the attestation is malformed: " + Reason;
    }

    /// <summary>The statement is not signed by the peer's log key (a wrong key, or a bad signature).</summary>
    public sealed record StatementNotSigned(string Origin, IReadOnlyList<string> SignedBy) : AttestationCheck("attestation-wrong-key")
    {
        /// <inheritdoc />
        public override string Describe() =>
            $"the statement is not signed by the log key configured for '{Origin}' (signed by: {(SignedBy.Count == 0 ? "nobody" : string.Join(", ", SignedBy))})";
    }

    /// <summary>The statement or the checkpoint is about another log, or another execution, than the one asked for.</summary>
    public sealed record WrongSubject(string Expected, string Found) : AttestationCheck("attestation-wrong-subject")
    {
        /// <inheritdoc />
        public override string Describe() => $"the attestation is about {Found}, not {Expected}";
    }

    /// <summary>The checkpoint does not meet the peer's policy (its signature, or the witness quorum).</summary>
    public sealed record CheckpointRejected(TlogPolicyCheck Policy) : AttestationCheck("attestation-checkpoint-rejected")
    {
        /// <summary>Whether the checkpoint was signed by the peer but lacked the cosignatures the policy's quorum needs.</summary>
        public bool QuorumMissing => Policy is TlogPolicyCheck.QuorumNotMet;

        /// <inheritdoc />
        public override string Describe() => "the checkpoint does not meet the peer's policy: " + Policy.Describe();
    }

    /// <summary>An entry is not what the statement and the checkpoint say (tampered, out of its stream, or not included).</summary>
    public sealed record EntryRejected(long Position, string Reason) : AttestationCheck("attestation-entry-rejected")
    {
        /// <inheritdoc />
        public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"the entry at position {Position} is rejected: {Reason}");
    }

    /// <summary>The entries do not fold to what the statement states.</summary>
    public sealed record StatementMismatch(string Member, string Stated, string Proven) : AttestationCheck("attestation-statement-mismatch")
    {
        /// <inheritdoc />
        public override string Describe() => $"the statement says {Member} {Stated}; the entries prove {Proven}";
    }

    /// <summary>The statement is older than the allowed age, from the future, or its checkpoint is older than one already held.</summary>
    public sealed record Stale(string Reason) : AttestationCheck("attestation-stale")
    {
        /// <inheritdoc />
        public override string Describe() => "the attestation is stale: " + Reason;
    }

    /// <summary>
    /// The checkpoint is validly signed by the peer and inconsistent with the one held for it: the peer shows a split
    /// view (DESIGN §8.1). The evidence is what <c>federation.split-view-detected.v1</c> records.
    /// </summary>
    public sealed record SplitView(SplitViewKind Kind, string HeldNote, string ConflictingNote, IReadOnlyList<string> Proof) : AttestationCheck("attestation-split-view")
    {
        /// <inheritdoc />
        public override string Describe() => $"the peer's checkpoint is inconsistent with the one held ({FederationEventCodec.NameOf(Kind)})";
    }

    internal static string Time(DateTimeOffset value) => Rfc3339.Format(value);
}
