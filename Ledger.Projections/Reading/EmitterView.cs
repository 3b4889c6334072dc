namespace Ledger.Projections.Reading;

/// <summary>An emitter: its registration (if any) and what it appended.</summary>
/// <param name="Name">The emitter's name (<c>ledger</c> for the ledger itself).</param>
/// <param name="Registered">Whether <c>$emitters</c> registered it.</param>
/// <param name="Revoked">Whether it was revoked.</param>
/// <param name="Domains">The domains it may speak for (<c>*</c> for all).</param>
/// <param name="PublicKey">Its signing key's text form, or null (token only).</param>
/// <param name="KeyId">The key's id, or null.</param>
/// <param name="SignaturesRequired">Whether it must sign every event.</param>
/// <param name="RegisteredAt">When it was last registered.</param>
/// <param name="RevokedAt">When it was revoked.</param>
/// <param name="RevokedReason">Why.</param>
/// <param name="Events">Entries it appended.</param>
/// <param name="FirstPosition">Its first entry.</param>
/// <param name="LastPosition">Its last entry.</param>
/// <param name="LastRecordedAt">When its last entry was recorded.</param>
public sealed record EmitterView(
    string Name,
    bool Registered,
    bool Revoked,
    IReadOnlyList<string> Domains,
    string? PublicKey,
    string? KeyId,
    bool SignaturesRequired,
    DateTimeOffset? RegisteredAt,
    DateTimeOffset? RevokedAt,
    string? RevokedReason,
    long Events,
    long? FirstPosition,
    long? LastPosition,
    DateTimeOffset? LastRecordedAt);
