using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Ledger.Domain.Log;

namespace Ledger.Domain.Crypto;

/// <summary>
/// A public key that checks signatures: ECDSA P-256 (<see cref="EcdsaP256VerificationKey"/>) or Ed25519
/// (<see cref="Ed25519VerificationKey"/>).
/// </summary>
/// <remarks>
/// <para>Text form (the emitter registry): <c>ecdsa-p256:</c> + base64(SubjectPublicKeyInfo DER) or
/// <c>ed25519:</c> + base64(32-byte RFC 8032 key). <see cref="KeyId"/> is <c>sha256:</c> + lowercase hex
/// SHA-256 of the encoded key (the DER SPKI, or the 32 raw bytes).</para>
/// <para>Immutable; <see cref="Verify"/> may be called from several threads at once. Two keys are equal when
/// their text forms are equal.</para>
/// </remarks>
public abstract class VerificationKey : IEquatable<VerificationKey>
{
    /// <summary>Text prefix of an ECDSA P-256 key.</summary>
    public const string EcdsaP256Prefix = "ecdsa-p256:";

    /// <summary>Text prefix of an Ed25519 key.</summary>
    public const string Ed25519Prefix = "ed25519:";

    private readonly byte[] _encoded;

    private protected VerificationKey(byte[] encoded, string prefix)
    {
        _encoded = encoded;
        Text = prefix + Convert.ToBase64String(encoded);
        KeyId = ComputeKeyId(encoded);
    }

    /// <summary>The algorithm's wire name (<see cref="SignatureAlgorithm"/>).</summary>
    public abstract string Algorithm { get; }

    /// <summary><c>sha256:</c> + lowercase hex SHA-256 of <see cref="ExportPublicKey"/>.</summary>
    public string KeyId { get; }

    /// <summary>The registry text form.</summary>
    public string Text { get; }

    /// <summary>Parses the registry text form.</summary>
    /// <exception cref="FormatException">Unknown prefix, bad base64, or not a valid key of that algorithm.</exception>
    public static VerificationKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith(EcdsaP256Prefix, StringComparison.Ordinal))
        {
            return StrictBase64.TryDecode(text[EcdsaP256Prefix.Length..], out var spki)
                ? EcdsaP256VerificationKey.FromSubjectPublicKeyInfo(spki)
                : throw new FormatException("The ECDSA P-256 key is not canonical base64.");
        }

        if (text.StartsWith(Ed25519Prefix, StringComparison.Ordinal))
        {
            return StrictBase64.TryDecode(text[Ed25519Prefix.Length..], out var raw)
                ? Ed25519VerificationKey.FromPublicKey(raw)
                : throw new FormatException("The Ed25519 key is not canonical base64.");
        }

        throw new FormatException($"A public key starts with '{EcdsaP256Prefix}' or '{Ed25519Prefix}'.");
    }

    /// <summary>Parses the registry text form; false (and a reason) instead of an exception.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out VerificationKey? key, [NotNullWhen(false)] out string? error)
    {
        try
        {
            key = Parse(text);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            key = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>A copy of the encoded key: DER SubjectPublicKeyInfo (ECDSA) or the 32 raw bytes (Ed25519).</summary>
    public byte[] ExportPublicKey() => (byte[])_encoded.Clone();

    /// <summary>Whether <paramref name="signature"/> (P1363 r ‖ s for ECDSA) signs <paramref name="message"/>.</summary>
    public abstract bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);

    /// <inheritdoc />
    public bool Equals(VerificationKey? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as VerificationKey);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <summary>The registry text form.</summary>
    public override string ToString() => Text;

    internal ReadOnlySpan<byte> Encoded => _encoded;

    private static string ComputeKeyId(ReadOnlySpan<byte> encoded) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(encoded));
}
