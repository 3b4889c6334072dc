namespace Ledger.Domain.Federation;

/// <summary>What, besides the peer's trust, an attestation is verified against.</summary>
/// <param name="Now">The verifier's clock (the ledger's time; offline, the <c>recordedAt</c> of the entry that used it).</param>
/// <param name="MaxAge">How old the statement may be at <paramref name="Now"/> (the <c>maxPeerSilence</c> in force).</param>
/// <remarks>Immutable.</remarks>
public sealed record AttestationContext(DateTimeOffset Now, TimeSpan MaxAge)
{
    /// <summary>How far in the future of <see cref="Now"/> a statement (or a cosignature) may be: clocks differ. Default 5 minutes.</summary>
    public TimeSpan AllowedSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The peer's signed checkpoint held already (the latest one verified), or null: a new checkpoint must be
    /// consistent with it, or the peer shows a split view.</summary>
    public string? HeldCheckpoint { get; init; }
}
