using Ledger.Domain.Events;

namespace Ledger.Domain.Emitters;

// The events of the emitter registry, stream "$emitters".

/// <summary>An event in the <c>$emitters</c> stream.</summary>
/// <remarks>Implementations are immutable sealed records carrying a <see cref="WireNameAttribute"/>.</remarks>
public interface IEmitterEvent
{
    /// <summary>The emitter the event is about.</summary>
    public string Name { get; }
}

/// <summary>An emitter was registered, or its registration replaced (new key, other domains).</summary>
/// <param name="Name">The emitter's name, 1 to 128 characters of <c>[A-Za-z0-9._:-]</c>.</param>
/// <param name="Domains">The domains it may speak for (non-empty, distinct); <c>*</c> alone means every domain.</param>
/// <param name="PublicKey">
/// Its signing key, <c>ecdsa-p256:&lt;base64 SubjectPublicKeyInfo DER&gt;</c> or
/// <c>ed25519:&lt;base64 of the 32-byte key&gt;</c>; null for an emitter authenticated by token only.
/// </param>
/// <param name="SignaturesRequired">Whether every event it submits must carry its signature (needs a key).</param>
[WireName("emitter.registered.v1")]
public sealed record EmitterRegistered(string Name, IReadOnlyList<string> Domains, string? PublicKey, bool SignaturesRequired) : IEmitterEvent;

/// <summary>An emitter was revoked: it may append nothing more, and its name is not reused.</summary>
/// <param name="Name">The emitter's name.</param>
/// <param name="Reason">Why, for people.</param>
[WireName("emitter.revoked.v1")]
public sealed record EmitterRevoked(string Name, string Reason) : IEmitterEvent;
