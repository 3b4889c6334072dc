using System.Buffers.Binary;
using Ledger.Domain.Crypto;

namespace Ledger.Domain.Notes;

/// <summary>
/// Signs note texts with one key under one key name: Ed25519 (type 0x01), ECDSA P-256 (type 0x02, DER signatures
/// over SHA-256 of the text, as transparency-dev/witness), or a cosignature/v1 (type 0x04) at a given time.
/// </summary>
/// <remarks>
/// <para>Private key text (skey): <c>PRIVATE+KEY+name+hex(keyid)+base64(type ‖ key)</c>, where key is the 32-byte
/// Ed25519 seed for type 0x01 (as golang.org/x/mod/sumdb/note) and, for type 0x02, the unencrypted PKCS#8 DER of the
/// P-256 key (this ledger's choice; C2SP defines no ECDSA skey). The key id is that of the matching
/// <see cref="NoteVerifier"/>.</para>
/// <para>Thread-safe. A signer from <see cref="ParseSkey"/> owns its key and disposes it; one from
/// <see cref="Create"/> does not.</para>
/// </remarks>
public sealed class NoteSigner : IDisposable
{
    private readonly SigningKey _key;
    private readonly bool _ownsKey;
    private readonly long _timestamp;

    private NoteSigner(NoteVerifier verifier, SigningKey key, bool ownsKey, long timestamp)
    {
        Verifier = verifier;
        _key = key;
        _ownsKey = ownsKey;
        _timestamp = timestamp;
    }

    /// <summary>The key name.</summary>
    public string Name => Verifier.Name;

    /// <summary>The 32-bit key id.</summary>
    public uint KeyId => Verifier.KeyId;

    /// <summary>The signature type byte.</summary>
    public byte SignatureType => Verifier.SignatureType;

    /// <summary>The matching verifier (its <see cref="NoteVerifier.VerifierKey"/> is the vkey to publish).</summary>
    public NoteVerifier Verifier { get; }

    /// <summary>The signing key.</summary>
    public SigningKey Key => _key;

    /// <summary>A signer of plain note signatures (type 0x01 or 0x02 by the key's algorithm). Does not own the key.</summary>
    /// <exception cref="ArgumentException">The name is not a valid key name.</exception>
    public static NoteSigner Create(string name, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new NoteSigner(NoteVerifier.Create(name, key.VerificationKey), key, ownsKey: false, timestamp: 0);
    }

    /// <summary>A cosigner (type 0x04) whose signatures carry <paramref name="timestamp"/> (POSIX seconds, from the
    /// caller's clock). Does not own the key.</summary>
    /// <exception cref="ArgumentException">The name is not a valid key name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative timestamp.</exception>
    public static NoteSigner CreateCosignatureV1(string name, Ed25519SigningKey key, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        return new NoteSigner(NoteVerifier.CreateCosignatureV1(name, key.VerificationKey), key, ownsKey: false, timestamp);
    }

    /// <summary>Parses an skey (type 0x01 or 0x02); the signer owns the key it creates.</summary>
    /// <exception cref="FormatException">Malformed, unknown type, invalid key, or a key id that does not match the key.</exception>
    /// <exception cref="PlatformNotSupportedException">An Ed25519 key and libcrypto with Ed25519 is not available.</exception>
    public static NoteSigner ParseSkey(string skey)
    {
        ArgumentNullException.ThrowIfNull(skey);
        if (!skey.StartsWith(NoteKeys.PrivateKeyPrefix, StringComparison.Ordinal))
        {
            throw new FormatException($"A signer key starts with '{NoteKeys.PrivateKeyPrefix}'.");
        }

        var (name, keyId, typeAndKey) = NoteKeys.Split(skey[NoteKeys.PrivateKeyPrefix.Length..], "signer key");
        SigningKey key = typeAndKey[0] switch
        {
            NoteSignatureType.Ed25519 => Ed25519SigningKey.FromSeed(typeAndKey.AsSpan(1)),
            NoteSignatureType.EcdsaSha256 => EcdsaP256SigningKey.FromPkcs8(typeAndKey.AsSpan(1)),
            _ => throw new FormatException($"The signer key has unsupported signature type 0x{typeAndKey[0]:x2}."),
        };

        var signer = new NoteSigner(NoteVerifier.Create(name, key.VerificationKey), key, ownsKey: true, timestamp: 0);
        if (signer.KeyId != keyId)
        {
            signer.Dispose();
            throw new FormatException($"The signer key id {NoteKeys.FormatId(keyId)} does not match its key ({NoteKeys.FormatId(signer.KeyId)}).");
        }

        return signer;
    }

    /// <summary>The skey text of this signer (types 0x01 and 0x02 only).</summary>
    /// <exception cref="InvalidOperationException">A cosigner: its skey is the plain Ed25519 one.</exception>
    public string ExportSkey()
    {
        var key = _key switch
        {
            _ when SignatureType == NoteSignatureType.CosignatureV1 =>
                throw new InvalidOperationException("A cosigner has no skey of its own; export the Ed25519 signer of the same key."),
            Ed25519SigningKey ed => ed.ExportSeed(),
            EcdsaP256SigningKey ec => ec.ExportPkcs8(),
            _ => throw new InvalidOperationException("Unsupported key type."),
        };
        return NoteKeys.PrivateKeyPrefix + NoteKeys.Join(Name, KeyId, SignatureType, key);
    }

    /// <summary>Signs a note text (UTF-8, ending in a newline); returns the bytes that follow the key id on the line.</summary>
    public byte[] Sign(ReadOnlySpan<byte> text)
    {
        switch (SignatureType)
        {
            case NoteSignatureType.EcdsaSha256:
                return ((EcdsaP256SigningKey)_key).SignDer(text);
            case NoteSignatureType.CosignatureV1:
                var message = CosignatureV1.BuildMessage(_timestamp, text);
                var signature = new byte[CosignatureV1.TimestampSize + Ed25519.SignatureSize];
                BinaryPrimitives.WriteUInt64BigEndian(signature, (ulong)_timestamp);
                _key.Sign(message).CopyTo(signature, CosignatureV1.TimestampSize);
                return signature;
            default:
                return _key.Sign(text);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsKey)
        {
            _key.Dispose();
        }
    }
}
