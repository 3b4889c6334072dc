using System.Security.Cryptography;

namespace Ledger.Domain.Crypto;

/// <summary>An ECDSA NIST P-256 private key (BCL <see cref="ECDsa"/>), signing SHA-256 digests.</summary>
/// <remarks>Thread-safe for signing. Dispose to release the key.</remarks>
public sealed class EcdsaP256SigningKey : SigningKey
{
    private readonly ECDsa _ecdsa;
    private bool _disposed;

    private EcdsaP256SigningKey(ECDsa ecdsa)
    {
        _ecdsa = ecdsa;
        VerificationKey = EcdsaP256VerificationKey.FromSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo());
    }

    /// <inheritdoc />
    public override string Algorithm => SignatureAlgorithm.EcdsaP256Sha256;

    /// <inheritdoc cref="SigningKey.VerificationKey" />
    public override EcdsaP256VerificationKey VerificationKey { get; }

    /// <summary>Imports an unencrypted PKCS#8 PrivateKeyInfo (DER) holding a P-256 key.</summary>
    /// <exception cref="FormatException">Not PKCS#8, trailing bytes, or another curve.</exception>
    public static EcdsaP256SigningKey FromPkcs8(ReadOnlySpan<byte> pkcs8)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            int read;
            try
            {
                ecdsa.ImportPkcs8PrivateKey(pkcs8, out read);
            }
            catch (CryptographicException e)
            {
                throw new FormatException("The private key is not a PKCS#8 EC private key: " + e.Message, e);
            }

            if (read != pkcs8.Length)
            {
                throw new FormatException($"The PKCS#8 private key has {pkcs8.Length - read} trailing bytes.");
            }

            if (!EcdsaP256VerificationKey.IsP256(ecdsa))
            {
                throw new FormatException("The EC private key is not on the NIST P-256 curve.");
            }

            return new EcdsaP256SigningKey(ecdsa);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    /// <summary>Exports the key as unencrypted PKCS#8 PrivateKeyInfo DER.</summary>
    public byte[] ExportPkcs8()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _ecdsa.ExportPkcs8PrivateKey();
    }

    /// <summary>Signs SHA-256(<paramref name="message"/>); returns the 64-byte IEEE P1363 form r ‖ s.</summary>
    public override byte[] Sign(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _ecdsa.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>Signs SHA-256(<paramref name="message"/>); returns the DER (RFC 3279 Ecdsa-Sig-Value) form, as signed notes carry.</summary>
    public byte[] SignDer(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _ecdsa.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    internal static EcdsaP256SigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _ecdsa.Dispose();
        }

        _disposed = true;
    }
}
