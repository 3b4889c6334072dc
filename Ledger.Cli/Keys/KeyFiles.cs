using System.Security.Cryptography;
using Ledger.Domain.Crypto;

namespace Ledger.Cli.Keys;

/// <summary>Reads emitter key files: private keys (PEM PKCS#8 or a PRIVATE+KEY+ signer key) and public key text.</summary>
internal static class KeyFiles
{
    public static SigningKey ReadSigningKey(string path)
    {
        var text = InputFiles.ReadAllText(path, "key file");
        try
        {
            return PrivateKeyText.Import(text);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            throw CliException.Usage($"'{path}' is not a private key file: {e.Message}");
        }
        catch (PlatformNotSupportedException e)
        {
            throw CliException.Usage($"The key in '{path}' cannot be used on this machine: {e.Message}");
        }
    }

    /// <summary>The public key text (<c>ecdsa-p256:…</c> or <c>ed25519:…</c>) in a public key file, or of a private key file.</summary>
    public static string ReadPublicKeyText(string path)
    {
        var text = InputFiles.ReadAllText(path, "public key file").Trim();
        if (text.StartsWith(VerificationKey.EcdsaP256Prefix, StringComparison.Ordinal) || text.StartsWith(VerificationKey.Ed25519Prefix, StringComparison.Ordinal))
        {
            return VerificationKey.TryParse(text, out var key, out var error)
                ? key.Text
                : throw CliException.Usage($"'{path}' does not hold a valid public key: {error}");
        }

        if (text.StartsWith("PRIVATE+KEY+", StringComparison.Ordinal) || text.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            using var key = ReadSigningKey(path);
            return key.VerificationKey.Text;
        }

        throw CliException.Usage(
            $"'{path}' holds neither a public key ('{VerificationKey.EcdsaP256Prefix}…' or '{VerificationKey.Ed25519Prefix}…') nor a private key file.");
    }
}
