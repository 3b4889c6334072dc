namespace Ledger.Domain.Notes;

/// <summary>
/// The outcome of checking a signed checkpoint against a <see cref="TlogPolicy"/>: <see cref="Verified"/>, or one of
/// the rejections <see cref="Malformed"/>, <see cref="NoLogSignature"/>, <see cref="InvalidSignature"/>,
/// <see cref="QuorumNotMet"/>, each with a stable <see cref="Code"/>, its evidence and a one-line
/// <see cref="Describe"/>.
/// </summary>
/// <remarks>Immutable values; a closed set (the constructor is private).</remarks>
public abstract record TlogPolicyCheck
{
    private TlogPolicyCheck(string code) => Code = code;

    /// <summary>A stable, machine-readable code.</summary>
    public string Code { get; }

    /// <summary>Whether the checkpoint meets the policy.</summary>
    public bool IsVerified => this is Verified;

    /// <summary>One sentence saying what was found, naming keys and witnesses.</summary>
    public abstract string Describe();

    /// <summary>The log signed, and the witnesses that validly cosigned meet the quorum.</summary>
    /// <param name="Checkpoint">The checkpoint.</param>
    /// <param name="LogKey">The log key whose signature verified.</param>
    /// <param name="Cosigners">The policy names of the witnesses whose cosignatures verified and counted.</param>
    /// <param name="Ignored">Cosignatures by policy witnesses that verified but did not count, with the reason.</param>
    public sealed record Verified(Checkpoint Checkpoint, NoteVerifier LogKey, IReadOnlyList<string> Cosigners, IReadOnlyList<string> Ignored)
        : TlogPolicyCheck("ok")
    {
        /// <inheritdoc />
        public override string Describe() =>
            $"signed by log key {LogKey.Name}+{NoteKeys.FormatId(LogKey.KeyId)}"
            + (Cosigners.Count == 0 ? "" : "; cosigned by " + string.Join(", ", Cosigners));
    }

    /// <summary>The note is not a signed checkpoint.</summary>
    /// <param name="Reason">What is wrong.</param>
    public sealed record Malformed(string Reason) : TlogPolicyCheck("checkpoint-malformed")
    {
        /// <inheritdoc />
        public override string Describe() => "the checkpoint is malformed: " + Reason;
    }

    /// <summary>No signature by a trusted log key (c2sp.org/tlog-proof, "Verifying", step 2): the checkpoint may be signed
    /// by witnesses only, or by another log.</summary>
    /// <param name="Origin">The checkpoint's origin line.</param>
    /// <param name="SignedBy">The key names on the note's signature lines.</param>
    /// <param name="WitnessOnly">Whether every signature is by a witness of the policy.</param>
    public sealed record NoLogSignature(string Origin, IReadOnlyList<string> SignedBy, bool WitnessOnly) : TlogPolicyCheck("checkpoint-no-log-signature")
    {
        /// <inheritdoc />
        public override string Describe() =>
            $"the checkpoint of '{Origin}' is not signed by a trusted log key"
            + (WitnessOnly ? " (only witnesses signed it; a witness's cosignature never replaces the log's signature)" : "")
            + $"; signed by: {(SignedBy.Count == 0 ? "(nobody)" : string.Join(", ", SignedBy))}";
    }

    /// <summary>A signature by a known key (log or witness) does not verify: the whole note is rejected.</summary>
    /// <param name="KeyName">The key name.</param>
    /// <param name="KeyId">The key id.</param>
    /// <param name="Role"><c>log</c> or <c>witness</c>.</param>
    public sealed record InvalidSignature(string KeyName, uint KeyId, string Role) : TlogPolicyCheck("checkpoint-invalid-signature")
    {
        /// <inheritdoc />
        public override string Describe() =>
            $"the signature by {Role} key {KeyName}+{NoteKeys.FormatId(KeyId)} does not verify: the checkpoint was altered or forged";
    }

    /// <summary>The log signed, but the valid cosignatures do not meet the policy's quorum.</summary>
    /// <param name="Quorum">The quorum's name in the policy.</param>
    /// <param name="Cosigners">The witnesses whose cosignatures verified and counted.</param>
    /// <param name="Ignored">Cosignatures that verified but did not count, with the reason (e.g. a timestamp in the future).</param>
    public sealed record QuorumNotMet(string Quorum, IReadOnlyList<string> Cosigners, IReadOnlyList<string> Ignored) : TlogPolicyCheck("checkpoint-quorum-not-met")
    {
        /// <inheritdoc />
        public override string Describe() =>
            $"the witness quorum '{Quorum}' is not met; valid cosignatures from: {(Cosigners.Count == 0 ? "(none)" : string.Join(", ", Cosigners))}"
            + (Ignored.Count == 0 ? "" : "; not counted: " + string.Join("; ", Ignored));
    }
}
