namespace Ledger.Domain.Emitters;

/// <summary>One emitter as the registry knows it.</summary>
/// <param name="Name">The emitter's name.</param>
/// <param name="Domains">The domains it may speak for; <c>*</c> means every domain.</param>
/// <param name="PublicKey">Its signing key in text form, or null.</param>
/// <param name="SignaturesRequired">Whether its events must be signed.</param>
/// <param name="RevocationReason">Why it was revoked; null while active.</param>
/// <remarks>Immutable.</remarks>
public sealed record EmitterEntry(string Name, IReadOnlyList<string> Domains, string? PublicKey, bool SignaturesRequired, string? RevocationReason = null)
{
    /// <summary>Whether the emitter was revoked.</summary>
    public bool IsRevoked => RevocationReason is not null;

    /// <summary>Whether its domain list covers <paramref name="domain"/>.</summary>
    public bool Covers(string domain) =>
        Domains.Any(d => d == EmitterRegistry.AllDomains || string.Equals(d, domain, StringComparison.Ordinal));
}
