namespace Ledger.Domain.Notes;

/// <summary>
/// The outcome of verifying a signed note against known keys: <see cref="Verified"/>, or one of the rejections
/// <see cref="Malformed"/>, <see cref="NoKnownSignature"/>, <see cref="InvalidSignature"/>. Each has a stable
/// <see cref="Code"/>.
/// </summary>
/// <remarks>Immutable values; a closed set (the constructor is private).</remarks>
public abstract record NoteCheck
{
    private NoteCheck(string code) => Code = code;

    /// <summary>A stable, machine-readable code.</summary>
    public string Code { get; }

    /// <summary>Whether the note verified.</summary>
    public bool IsVerified => this is Verified;

    /// <summary>At least one known key signed the note, and no known key's signature failed.</summary>
    /// <param name="Note">The note.</param>
    /// <param name="VerifiedSignatures">Signatures by known keys, one per key, in note order.</param>
    /// <param name="UnverifiedSignatures">Signatures by unknown keys (identical lines once), in note order.</param>
    public sealed record Verified(SignedNote Note, IReadOnlyList<NoteSignature> VerifiedSignatures, IReadOnlyList<NoteSignature> UnverifiedSignatures)
        : NoteCheck("ok");

    /// <summary>The note could not be parsed.</summary>
    /// <param name="Reason">What is wrong, naming the offending part.</param>
    public sealed record Malformed(string Reason) : NoteCheck("note-malformed");

    /// <summary>No signature is by a known key (the note may still be well-formed and signed by others).</summary>
    /// <param name="Note">The note.</param>
    public sealed record NoKnownSignature(SignedNote Note) : NoteCheck("note-no-known-signature");

    /// <summary>A known key's signature does not verify: the whole note is rejected.</summary>
    /// <param name="Note">The note.</param>
    /// <param name="KeyName">The key name of the failing signature.</param>
    /// <param name="KeyId">The key id of the failing signature.</param>
    public sealed record InvalidSignature(SignedNote Note, string KeyName, uint KeyId) : NoteCheck("note-invalid-signature");
}
