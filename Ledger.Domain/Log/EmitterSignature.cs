using System.Buffers;
using Ledger.Domain.Crypto;

namespace Ledger.Domain.Log;

/// <summary>
/// An emitter's signature over the canonical bytes of an <see cref="EmitterStatement"/>; stored in
/// the ledger entry as <c>{"alg","keyId","value"}</c>.
/// </summary>
/// <remarks>
/// <para>Invariants, checked on construction and on every <c>with</c>:</para>
/// <list type="bullet">
/// <item><see cref="Alg"/> is <see cref="AlgorithmEcdsaP256Sha256"/> or <see cref="AlgorithmEd25519"/>.</item>
/// <item><see cref="KeyId"/> is <c>"sha256:"</c> and 64 lowercase hex digits: SHA-256 of the emitter's
/// public key (SubjectPublicKeyInfo DER for ECDSA P-256, the raw 32 bytes for Ed25519).</item>
/// <item><see cref="Value"/> is standard base64 with padding (RFC 4648 §4) of the signature bytes
/// (for ECDSA the IEEE P1363 form r‖s, 64 bytes); whether it verifies is not checked here.</item>
/// </list>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed record EmitterSignature
{
    /// <summary>ECDSA over P-256 with SHA-256, signature in IEEE P1363 form (r‖s, 64 bytes); the same string as <see cref="SignatureAlgorithm.EcdsaP256Sha256"/>.</summary>
    public const string AlgorithmEcdsaP256Sha256 = SignatureAlgorithm.EcdsaP256Sha256;

    /// <summary>Ed25519 (RFC 8032), 64-byte signature; the same string as <see cref="SignatureAlgorithm.Ed25519"/>.</summary>
    public const string AlgorithmEd25519 = SignatureAlgorithm.Ed25519;

    private const string KeyIdPrefix = "sha256:";

    private static readonly SearchValues<char> LowercaseHex = SearchValues.Create("0123456789abcdef");

    /// <summary>Creates a signature record.</summary>
    /// <param name="alg">The algorithm: <see cref="AlgorithmEcdsaP256Sha256"/> or <see cref="AlgorithmEd25519"/>.</param>
    /// <param name="keyId">The emitter key's id, <c>"sha256:" + lowercase hex</c>.</param>
    /// <param name="value">The signature bytes in base64.</param>
    /// <exception cref="ArgumentException">A value breaks the invariants above.</exception>
    public EmitterSignature(string alg, string keyId, string value)
    {
        Alg = alg;
        KeyId = keyId;
        Value = value;
    }

    /// <summary>The signature algorithm's name.</summary>
    public string Alg
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value is not (AlgorithmEcdsaP256Sha256 or AlgorithmEd25519))
            {
                throw new ArgumentException(
                    $"Unknown signature algorithm \"{value}\"; expected \"{AlgorithmEcdsaP256Sha256}\" or \"{AlgorithmEd25519}\".",
                    nameof(Alg));
            }

            field = value;
        }
    }

    /// <summary>The emitter key's id: <c>"sha256:"</c> and the lowercase hex SHA-256 of its public key.</summary>
    public string KeyId
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (!IsKeyId(value))
            {
                throw new ArgumentException(
                    $"The key id \"{value}\" is not \"sha256:\" followed by 64 lowercase hex digits.",
                    nameof(KeyId));
            }

            field = value;
        }
    }

    /// <summary>The signature bytes, standard base64 with padding.</summary>
    public string Value
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (!StrictBase64.TryDecode(value, out _))
            {
                throw new ArgumentException(
                    "The signature value is not non-empty standard base64 with padding in canonical form (RFC 4648 §4: no whitespace, zero pad bits).",
                    nameof(Value));
            }

            field = value;
        }
    }

    /// <summary>Decodes <see cref="Value"/>.</summary>
    /// <returns>A new array holding the signature bytes.</returns>
    public byte[] GetValueBytes() => Convert.FromBase64String(Value);

    private static bool IsKeyId(string value) =>
        value.Length == KeyIdPrefix.Length + 64
        && value.StartsWith(KeyIdPrefix, StringComparison.Ordinal)
        && !value.AsSpan(KeyIdPrefix.Length).ContainsAnyExcept(LowercaseHex);
}
