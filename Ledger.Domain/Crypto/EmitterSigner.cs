using Ledger.Domain.Canonical;
using Ledger.Domain.Log;

namespace Ledger.Domain.Crypto;

/// <summary>
/// Signs and verifies what an emitter asserts: the canonical bytes of an <see cref="EmitterStatement"/>
/// (<see cref="EmitterStatement.ToCanonicalBytes"/>).
/// </summary>
/// <remarks>
/// <para>The signature record is <c>{"alg", "keyId", "value"}</c>: the key's algorithm wire name, its
/// <see cref="VerificationKey.KeyId"/>, and base64 of the signature (ECDSA: SHA-256 and IEEE P1363 r ‖ s, 64 bytes;
/// Ed25519: 64 bytes, RFC 8032).</para>
/// <para>Stateless and thread-safe.</para>
/// </remarks>
public static class EmitterSigner
{
    /// <summary>Signs <paramref name="statement"/> with <paramref name="key"/>.</summary>
    /// <exception cref="CanonicalJsonException">The statement's data or metadata cannot be canonicalized.</exception>
    /// <exception cref="PlatformNotSupportedException">An Ed25519 key and libcrypto with Ed25519 is not available.</exception>
    public static EmitterSignature Sign(EmitterStatement statement, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(key);
        var signature = key.Sign(statement.ToCanonicalBytes());
        return new EmitterSignature(key.Algorithm, key.VerificationKey.KeyId, Convert.ToBase64String(signature));
    }

    /// <summary>Whether <paramref name="signature"/> is <paramref name="key"/>'s valid signature of
    /// <paramref name="statement"/>: same algorithm, same key id, and the signature verifies over the canonical bytes.</summary>
    /// <exception cref="CanonicalJsonException">The statement's data or metadata cannot be canonicalized.</exception>
    /// <exception cref="PlatformNotSupportedException">An Ed25519 key and libcrypto with Ed25519 is not available.</exception>
    public static bool Verify(EmitterStatement statement, EmitterSignature signature, VerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(key);
        return string.Equals(signature.Alg, key.Algorithm, StringComparison.Ordinal)
            && string.Equals(signature.KeyId, key.KeyId, StringComparison.Ordinal)
            && key.Verify(statement.ToCanonicalBytes(), signature.GetValueBytes());
    }
}
