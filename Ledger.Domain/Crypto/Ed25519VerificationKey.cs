namespace Ledger.Domain.Crypto;

/// <summary>An Ed25519 public key (32 bytes, RFC 8032), verified through libcrypto (<see cref="Ed25519"/>).</summary>
/// <remarks>Immutable and safe for concurrent verification. Creating one needs no libcrypto; verifying does.</remarks>
public sealed class Ed25519VerificationKey : VerificationKey
{
    private Ed25519VerificationKey(byte[] publicKey)
        : base(publicKey, Ed25519Prefix)
    {
    }

    /// <inheritdoc />
    public override string Algorithm => SignatureAlgorithm.Ed25519;

    /// <summary>Wraps a 32-byte RFC 8032 public key.</summary>
    /// <exception cref="FormatException">The key is not 32 bytes.</exception>
    public static Ed25519VerificationKey FromPublicKey(ReadOnlySpan<byte> publicKey) =>
        publicKey.Length == Ed25519.PublicKeySize
            ? new Ed25519VerificationKey(publicKey.ToArray())
            : throw new FormatException($"An Ed25519 public key is {Ed25519.PublicKeySize} bytes, not {publicKey.Length}.");

    /// <summary>Verifies a 64-byte Ed25519 signature.</summary>
    /// <exception cref="PlatformNotSupportedException">libcrypto with Ed25519 is not available.</exception>
    public override bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        Ed25519.Verify(Encoded, message, signature);
}
