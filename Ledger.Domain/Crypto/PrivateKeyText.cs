using System.Security.Cryptography;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Crypto;

/// <summary>
/// The text of a private key file (an emitter's key, the ledger's key). The caller reads and writes the file.
/// </summary>
/// <remarks>
/// <para>ECDSA P-256: PEM (RFC 7468) <c>-----BEGIN PRIVATE KEY-----</c> of an unencrypted PKCS#8 PrivateKeyInfo.
/// Ed25519: the C2SP signer key <c>PRIVATE+KEY+name+hex(keyid)+base64(0x01 ‖ 32-byte seed)</c>
/// (see <see cref="NoteSigner"/>), whose name is the key's note name (an emitter's name, the ledger's origin).
/// On import, an skey of type 0x02 (PKCS#8 DER of a P-256 key) is accepted too. Both forms end in one newline;
/// surrounding whitespace is ignored on import.</para>
/// <para>Stateless and thread-safe. The text is secret: keep the file readable by its owner only.</para>
/// </remarks>
public static class PrivateKeyText
{
    private const string PemLabel = "PRIVATE KEY";

    /// <summary>Formats <paramref name="key"/> as key file text.</summary>
    /// <param name="key">The key.</param>
    /// <param name="keyName">The note key name recorded in an Ed25519 skey; not part of the ECDSA PEM.</param>
    /// <exception cref="ArgumentException">Ed25519 with an invalid key name.</exception>
    public static string Export(SigningKey key, string keyName)
    {
        ArgumentNullException.ThrowIfNull(key);
        switch (key)
        {
            case EcdsaP256SigningKey ecdsa:
                var der = ecdsa.ExportPkcs8();
                try
                {
                    return new string(PemEncoding.Write(PemLabel, der)) + "\n";
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(der);
                }

            case Ed25519SigningKey:
                return NoteSigner.Create(keyName, key).ExportSkey() + "\n";
            default:
                throw new ArgumentException("Unsupported key type.", nameof(key));
        }
    }

    /// <summary>Reads key file text.</summary>
    /// <exception cref="FormatException">Neither form, a PEM of another label, or an invalid key.</exception>
    /// <exception cref="PlatformNotSupportedException">An Ed25519 key and libcrypto with Ed25519 is not available.</exception>
    public static SigningKey Import(string text) => Import(text, out _);

    /// <summary>Reads key file text; <paramref name="keyName"/> is the skey's name, or null for a PEM.</summary>
    /// <exception cref="FormatException">Neither form, a PEM of another label, or an invalid key.</exception>
    /// <exception cref="PlatformNotSupportedException">An Ed25519 key and libcrypto with Ed25519 is not available.</exception>
    public static SigningKey Import(string text, out string? keyName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.StartsWith("PRIVATE+KEY+", StringComparison.Ordinal))
        {
            var signer = NoteSigner.ParseSkey(trimmed);
            keyName = signer.Name;
            return signer.Key;
        }

        keyName = null;
        if (!PemEncoding.TryFind(trimmed, out var fields) || fields.Location.Start.Value != 0 || fields.Location.End.Value != trimmed.Length)
        {
            throw new FormatException("A private key file is one PEM block or one PRIVATE+KEY+ signer key.");
        }

        var label = trimmed[fields.Label];
        if (label != PemLabel)
        {
            throw new FormatException($"The PEM block is '{label}'; an ECDSA key file holds '{PemLabel}' (unencrypted PKCS#8).");
        }

        var der = Convert.FromBase64String(trimmed[fields.Base64Data]);
        try
        {
            return EcdsaP256SigningKey.FromPkcs8(der);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }
}
