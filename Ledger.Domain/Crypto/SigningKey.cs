namespace Ledger.Domain.Crypto;

/// <summary>
/// A private key that signs: ECDSA P-256 (<see cref="EcdsaP256SigningKey"/>) or Ed25519 (<see cref="Ed25519SigningKey"/>).
/// </summary>
/// <remarks>
/// <para>Signatures from <see cref="Sign"/> are what <see cref="VerificationKey.Verify"/> checks: IEEE P1363 (r ‖ s)
/// over SHA-256 for ECDSA, RFC 8032 for Ed25519. Text forms for key files: <see cref="PrivateKeyText"/>.</para>
/// <para><see cref="Sign"/> may be called from several threads at once; dispose the key when done with it.</para>
/// </remarks>
public abstract class SigningKey : IDisposable
{
    private protected SigningKey()
    {
    }

    /// <summary>The algorithm's wire name (<see cref="SignatureAlgorithm"/>).</summary>
    public abstract string Algorithm { get; }

    /// <summary>The matching public key.</summary>
    public abstract VerificationKey VerificationKey { get; }

    /// <summary>Generates a fresh ECDSA P-256 key.</summary>
    public static EcdsaP256SigningKey GenerateEcdsaP256() => EcdsaP256SigningKey.Generate();

    /// <summary>Generates a fresh Ed25519 key from a <see cref="System.Security.Cryptography.RandomNumberGenerator"/> seed.</summary>
    /// <exception cref="PlatformNotSupportedException">libcrypto with Ed25519 is not available.</exception>
    public static Ed25519SigningKey GenerateEd25519() => Ed25519SigningKey.Generate();

    /// <summary>Signs <paramref name="message"/>.</summary>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public abstract byte[] Sign(ReadOnlySpan<byte> message);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the key material.</summary>
    protected abstract void Dispose(bool disposing);
}
