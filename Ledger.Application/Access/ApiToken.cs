using System.Security.Cryptography;
using System.Text;

namespace Ledger.Application.Access;

/// <summary>
/// Bearer tokens have the form <c>glt_&lt;tokenId&gt;_&lt;secret&gt;</c>. Only the token id and
/// <c>sha256:&lt;hex&gt;</c> of the secret are stored; a presented token is found by its id and its secret
/// compared in constant time.
/// </summary>
public static class ApiToken
{
    private const string Prefix = "glt_";

    /// <summary>Mints a new token; returns the full token (shown once) and its id and secret hash (stored).</summary>
    public static (string Token, string TokenId, string SecretHash) Mint()
    {
        var tokenId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return ($"{Prefix}{tokenId}_{secret}", tokenId, HashSecret(secret));
    }

    /// <summary>Splits a presented token into its id and secret; false when it does not have the token form.</summary>
    public static bool TryParse(string? token, out string tokenId, out string secret)
    {
        tokenId = secret = string.Empty;
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return false;
        }

        var rest = token.AsSpan(Prefix.Length);
        var sep = rest.IndexOf('_');
        if (sep != 16 || rest.Length - sep - 1 < 16)
        {
            return false;
        }

        tokenId = rest[..sep].ToString();
        secret = rest[(sep + 1)..].ToString();
        return true;
    }

    public static string HashSecret(string secret) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Constant-time comparison of a presented secret with a stored hash.</summary>
    public static bool SecretMatches(string secret, string storedHash)
    {
        var presented = Encoding.ASCII.GetBytes(HashSecret(secret));
        var stored = Encoding.ASCII.GetBytes(storedHash);
        return CryptographicOperations.FixedTimeEquals(presented, stored);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
