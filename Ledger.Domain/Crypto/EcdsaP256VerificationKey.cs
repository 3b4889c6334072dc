using System.Security.Cryptography;

namespace Ledger.Domain.Crypto;

/// <summary>An ECDSA NIST P-256 public key (BCL <see cref="ECDsa"/>), verifying SHA-256 signatures.</summary>
/// <remarks>
/// Created only from a DER SubjectPublicKeyInfo that re-encodes to the same bytes (uncompressed point, named
/// curve P-256), so a key has one encoding and one <see cref="VerificationKey.KeyId"/>. Immutable and safe for
/// concurrent verification.
/// </remarks>
public sealed class EcdsaP256VerificationKey : VerificationKey
{
    /// <summary>The OID of the named curve NIST P-256 (secp256r1).</summary>
    internal const string P256Oid = "1.2.840.10045.3.1.7";

    private readonly ECDsa _ecdsa;

    private EcdsaP256VerificationKey(byte[] spki, ECDsa ecdsa)
        : base(spki, EcdsaP256Prefix) => _ecdsa = ecdsa;

    /// <inheritdoc />
    public override string Algorithm => SignatureAlgorithm.EcdsaP256Sha256;

    /// <summary>Imports a DER SubjectPublicKeyInfo of a P-256 key.</summary>
    /// <exception cref="FormatException">Not DER SPKI, trailing bytes, another curve, or a non-canonical encoding.</exception>
    public static EcdsaP256VerificationKey FromSubjectPublicKeyInfo(ReadOnlySpan<byte> spki)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            int read;
            try
            {
                ecdsa.ImportSubjectPublicKeyInfo(spki, out read);
            }
            catch (CryptographicException e)
            {
                throw new FormatException("The public key is not a DER SubjectPublicKeyInfo of an EC key: " + e.Message, e);
            }

            if (read != spki.Length)
            {
                throw new FormatException($"The SubjectPublicKeyInfo has {spki.Length - read} trailing bytes.");
            }

            if (!IsP256(ecdsa))
            {
                throw new FormatException("The EC public key is not on the NIST P-256 curve.");
            }

            var canonical = ecdsa.ExportSubjectPublicKeyInfo();
            if (!spki.SequenceEqual(canonical))
            {
                throw new FormatException("The SubjectPublicKeyInfo is not in canonical form (named curve, uncompressed point).");
            }

            return new EcdsaP256VerificationKey(canonical, ecdsa);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    /// <summary>Verifies an IEEE P1363 (r ‖ s, 64 bytes) signature over SHA-256(message).</summary>
    public override bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 && _ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>Verifies a DER (RFC 3279 Ecdsa-Sig-Value) signature over SHA-256(message), as signed notes carry.</summary>
    public bool VerifyDer(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        try
        {
            return _ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Verifies a DER signature over a SHA-256 digest computed by the caller.</summary>
    internal bool VerifyDigestDer(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        try
        {
            return _ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    internal static bool IsP256(ECDsa ecdsa)
    {
        var curve = ecdsa.ExportParameters(includePrivateParameters: false).Curve;
        return curve.IsNamed && (curve.Oid.Value == P256Oid || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256" or "prime256v1" or "secp256r1");
    }
}
