using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Ledger.Domain.Crypto;

namespace Ledger.Domain.Notes;

/// <summary>
/// A known key that verifies note signatures: a key name, a key id and a public key of one signature type
/// (<see cref="NoteSignatureType"/>). Its text form is the C2SP vkey <c>name+hex(keyid)+base64(type ‖ key)</c>.
/// </summary>
/// <remarks>
/// <para>Key ids: Ed25519 (0x01) and cosignature/v1 (0x04) use SHA-256(name ‖ 0x0A ‖ type ‖ 32-byte key)[:4];
/// ECDSA (0x02) uses SHA-256(DER SPKI)[:4]; RFC 6962 (0x05) uses SHA-256(name ‖ 0x0A ‖ 0x05 ‖ SHA-256(SPKI))[:4].
/// A vkey whose id does not match its key is rejected. ECDSA and RFC 6962 keys must be NIST P-256.</para>
/// <para>Immutable; <see cref="Verify"/> may be called from several threads at once.</para>
/// </remarks>
public sealed class NoteVerifier
{
    private NoteVerifier(string name, uint keyId, byte signatureType, byte[] key, VerificationKey publicKey)
    {
        Name = name;
        KeyId = keyId;
        SignatureType = signatureType;
        PublicKey = publicKey;
        VerifierKey = NoteKeys.Join(name, keyId, signatureType, key);
    }

    /// <summary>The key name, as on signature lines.</summary>
    public string Name { get; }

    /// <summary>The 32-bit key id.</summary>
    public uint KeyId { get; }

    /// <summary>The signature type byte (<see cref="NoteSignatureType"/>).</summary>
    public byte SignatureType { get; }

    /// <summary>The public key (ECDSA P-256 for types 0x02 and 0x05, Ed25519 for 0x01 and 0x04).</summary>
    public VerificationKey PublicKey { get; }

    /// <summary>The vkey text <c>name+hex(keyid)+base64(type ‖ key)</c>.</summary>
    public string VerifierKey { get; }

    /// <summary>A verifier of plain note signatures by <paramref name="key"/>: type 0x01 for Ed25519, 0x02 for ECDSA P-256.</summary>
    /// <exception cref="ArgumentException">The name is not a valid key name.</exception>
    public static NoteVerifier Create(string name, VerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        CheckName(name);
        return key switch
        {
            Ed25519VerificationKey ed => Ed25519Verifier(name, NoteSignatureType.Ed25519, ed),
            EcdsaP256VerificationKey ec => new NoteVerifier(name, NoteKeys.EcdsaKeyId(ec.Encoded), NoteSignatureType.EcdsaSha256, ec.ExportPublicKey(), ec),
            _ => throw new ArgumentException("Unsupported key type.", nameof(key)),
        };
    }

    /// <summary>A verifier of c2sp.org/tlog-cosignature cosignature/v1 (type 0x04) signatures by <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The name is not a valid key name.</exception>
    public static NoteVerifier CreateCosignatureV1(string name, Ed25519VerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        CheckName(name);
        return Ed25519Verifier(name, NoteSignatureType.CosignatureV1, key);
    }

    /// <summary>Parses a vkey.</summary>
    /// <exception cref="FormatException">Malformed, unknown signature type, invalid key, or a key id that does not match.</exception>
    public static NoteVerifier Parse(string vkey)
    {
        ArgumentNullException.ThrowIfNull(vkey);
        var (name, keyId, typeAndKey) = NoteKeys.Split(vkey, "verifier key");
        var type = typeAndKey[0];
        var key = typeAndKey[1..];
        var verifier = type switch
        {
            NoteSignatureType.Ed25519 or NoteSignatureType.CosignatureV1 =>
                Ed25519Verifier(name, type, Ed25519VerificationKey.FromPublicKey(key)),
            NoteSignatureType.EcdsaSha256 => Create(name, EcdsaP256VerificationKey.FromSubjectPublicKeyInfo(key)),
            NoteSignatureType.Rfc6962TreeHead =>
                new NoteVerifier(name, NoteKeys.Rfc6962KeyId(name, key), type, key, EcdsaP256VerificationKey.FromSubjectPublicKeyInfo(key)),
            _ => throw new FormatException($"The verifier key has unknown signature type 0x{type:x2}."),
        };

        return verifier.KeyId == keyId
            ? verifier
            : throw new FormatException($"The verifier key id {NoteKeys.FormatId(keyId)} does not match its key ({NoteKeys.FormatId(verifier.KeyId)}).");
    }

    /// <summary>Parses a vkey; false (and the reason) instead of an exception.</summary>
    public static bool TryParse(string vkey, [NotNullWhen(true)] out NoteVerifier? verifier, [NotNullWhen(false)] out string? error)
    {
        try
        {
            verifier = Parse(vkey);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            verifier = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Whether <paramref name="signature"/> (the bytes after the key id) is valid for <paramref name="text"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">An Ed25519 type and libcrypto with Ed25519 is not available.</exception>
    public bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature) => SignatureType switch
    {
        NoteSignatureType.Ed25519 => PublicKey.Verify(text, signature),
        NoteSignatureType.EcdsaSha256 => ((EcdsaP256VerificationKey)PublicKey).VerifyDer(text, signature),
        NoteSignatureType.CosignatureV1 => VerifyCosignatureV1(text, signature),
        NoteSignatureType.Rfc6962TreeHead => VerifyRfc6962(text, signature),
        _ => false,
    };

    /// <inheritdoc />
    public override string ToString() => VerifierKey;

    private static NoteVerifier Ed25519Verifier(string name, byte type, Ed25519VerificationKey key)
    {
        var raw = key.ExportPublicKey();
        return new NoteVerifier(name, NoteKeys.KeyId(name, type, raw), type, raw, key);
    }

    private static void CheckName(string name)
    {
        if (!NoteKeys.IsValidName(name))
        {
            throw new ArgumentException($"The key name '{name}' is empty or has a space, '+' or control character.", nameof(name));
        }
    }

    private bool VerifyCosignatureV1(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != CosignatureV1.TimestampSize + Ed25519.SignatureSize)
        {
            return false;
        }

        var timestamp = BinaryPrimitives.ReadUInt64BigEndian(signature);
        if (timestamp > long.MaxValue || !CosignatureV1.TryBuildMessage((long)timestamp, text, out var message))
        {
            return false;
        }

        return PublicKey.Verify(message, signature[CosignatureV1.TimestampSize..]);
    }

    /// <summary>c2sp.org/static-ct-api: timestamp (u64) ‖ hash alg (0x04 SHA-256) ‖ signature alg (0x03 ECDSA)
    /// ‖ u16 length ‖ DER signature over the RFC 6962 §3.5 TreeHeadSignature of a three-line checkpoint.</summary>
    private bool VerifyRfc6962(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature)
    {
        if (signature.Length < 12)
        {
            return false;
        }

        var timestamp = BinaryPrimitives.ReadUInt64BigEndian(signature);
        var hashAlgorithm = signature[8];
        var signatureAlgorithm = signature[9];
        var length = BinaryPrimitives.ReadUInt16BigEndian(signature[10..]);
        var der = signature[12..];
        if (hashAlgorithm != 0x04 || signatureAlgorithm != 0x03 || der.Length != length)
        {
            return false;
        }

        if (!Checkpoint.TryParse(text, out var checkpoint, out _) || checkpoint.Extensions.Count != 0)
        {
            return false;
        }

        // TreeHeadSignature: version v1 (0), signature_type tree_hash (1), timestamp, tree_size, sha256_root_hash.
        Span<byte> treeHead = stackalloc byte[2 + 8 + 8 + 32];
        treeHead[0] = 0;
        treeHead[1] = 1;
        BinaryPrimitives.WriteUInt64BigEndian(treeHead[2..], timestamp);
        BinaryPrimitives.WriteUInt64BigEndian(treeHead[10..], (ulong)checkpoint.Size);
        checkpoint.RootHash.Span.CopyTo(treeHead[18..]);
        return ((EcdsaP256VerificationKey)PublicKey).VerifyDigestDer(SHA256.HashData(treeHead), der);
    }
}
