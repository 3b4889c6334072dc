using System.Security.Cryptography;

namespace Ledger.Domain.Crypto;

/// <summary>
/// Ed25519 (RFC 8032, pure, no pre-hash) through the platform's OpenSSL libcrypto.
/// </summary>
/// <remarks>
/// <para>No curve arithmetic is done here: keys and signatures go to <c>EVP_PKEY_new_raw_private_key</c>,
/// <c>EVP_DigestSign</c> and <c>EVP_DigestVerify</c> with <c>EVP_PKEY_ED25519</c>. A private key is its 32-byte
/// RFC 8032 seed; a public key is the 32-byte RFC 8032 encoding; a signature is 64 bytes.</para>
/// <para>When libcrypto (libcrypto.so.3, then libcrypto.so, …) cannot be loaded or lacks Ed25519,
/// <see cref="IsSupported"/> is false and every operation throws <see cref="PlatformNotSupportedException"/>
/// naming the libraries tried. All members are thread-safe.</para>
/// </remarks>
public static class Ed25519
{
    /// <summary>Length of a private key seed.</summary>
    public const int SeedSize = 32;

    /// <summary>Length of an encoded public key.</summary>
    public const int PublicKeySize = 32;

    /// <summary>Length of a signature.</summary>
    public const int SignatureSize = 64;

    private static readonly Lazy<string?> Unsupported = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether libcrypto was found and signs and verifies an Ed25519 self-test.</summary>
    public static bool IsSupported => Unsupported.Value is null;

    /// <summary>Returns a fresh random 32-byte seed from <see cref="RandomNumberGenerator"/>.</summary>
    public static byte[] GenerateSeed() => RandomNumberGenerator.GetBytes(SeedSize);

    /// <summary>Derives the 32-byte public key of a seed.</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    /// <exception cref="PlatformNotSupportedException">libcrypto with Ed25519 is not available.</exception>
    public static byte[] DerivePublicKey(ReadOnlySpan<byte> seed)
    {
        ThrowIfUnsupported();
        using var key = ImportPrivateKey(seed);
        return ExportPublicKey(key);
    }

    /// <summary>Signs <paramref name="message"/> with the key of <paramref name="seed"/>; returns 64 bytes.</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    /// <exception cref="PlatformNotSupportedException">libcrypto with Ed25519 is not available.</exception>
    public static byte[] Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message)
    {
        ThrowIfUnsupported();
        using var key = ImportPrivateKey(seed);
        return Sign(key, message);
    }

    /// <summary>Whether <paramref name="signature"/> is a valid signature of <paramref name="message"/> by
    /// <paramref name="publicKey"/>. Wrong lengths give false.</summary>
    /// <exception cref="PlatformNotSupportedException">libcrypto with Ed25519 is not available.</exception>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        ThrowIfUnsupported();
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        using var key = ImportPublicKey(publicKey);
        return key is not null && Verify(key, message, signature);
    }

    internal static void ThrowIfUnsupported()
    {
        var reason = Unsupported.Value;
        if (reason is not null)
        {
            throw new PlatformNotSupportedException(UnsupportedMessage(reason));
        }
    }

    internal static string UnsupportedMessage(string detail) =>
        "Ed25519 needs the platform's OpenSSL libcrypto (libcrypto.so.3 or libcrypto.so) with EVP_PKEY_ED25519; " + detail + ".";

    internal static unsafe EvpPKeyHandle ImportPrivateKey(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"An Ed25519 seed is {SeedSize} bytes, not {seed.Length}.", nameof(seed));
        }

        fixed (byte* p = seed)
        {
            var pkey = LibCrypto.EVP_PKEY_new_raw_private_key(LibCrypto.EvpPkeyEd25519, 0, p, SeedSize);
            if (pkey == 0)
            {
                LibCrypto.ERR_clear_error();
                throw new CryptographicException("libcrypto rejected the Ed25519 private key.");
            }

            return new EvpPKeyHandle(pkey);
        }
    }

    /// <summary>Returns null when libcrypto rejects the public key bytes.</summary>
    internal static unsafe EvpPKeyHandle? ImportPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeySize)
        {
            return null;
        }

        fixed (byte* p = publicKey)
        {
            var pkey = LibCrypto.EVP_PKEY_new_raw_public_key(LibCrypto.EvpPkeyEd25519, 0, p, PublicKeySize);
            if (pkey == 0)
            {
                LibCrypto.ERR_clear_error();
                return null;
            }

            return new EvpPKeyHandle(pkey);
        }
    }

    internal static unsafe byte[] ExportPublicKey(EvpPKeyHandle key)
    {
        var publicKey = new byte[PublicKeySize];
        nuint length = PublicKeySize;
        var added = false;
        try
        {
            key.DangerousAddRef(ref added);
            fixed (byte* p = publicKey)
            {
                if (LibCrypto.EVP_PKEY_get_raw_public_key(key.DangerousGetHandle(), p, &length) != 1 || length != PublicKeySize)
                {
                    LibCrypto.ERR_clear_error();
                    throw new CryptographicException("libcrypto could not export the Ed25519 public key.");
                }
            }
        }
        finally
        {
            if (added)
            {
                key.DangerousRelease();
            }
        }

        return publicKey;
    }

    internal static unsafe byte[] Sign(EvpPKeyHandle key, ReadOnlySpan<byte> message)
    {
        var signature = new byte[SignatureSize];
        nuint length = SignatureSize;
        byte dummy = 0;
        var added = false;
        var context = LibCrypto.EVP_MD_CTX_new();
        if (context == 0)
        {
            throw new CryptographicException("libcrypto could not allocate a digest context.");
        }

        try
        {
            key.DangerousAddRef(ref added);
            fixed (byte* m = message)
            fixed (byte* s = signature)
            {
                // A pinned empty span may be a null pointer; give OpenSSL a valid one with length 0.
                var messagePointer = m is null ? &dummy : m;
                if (LibCrypto.EVP_DigestSignInit(context, 0, 0, 0, key.DangerousGetHandle()) != 1
                    || LibCrypto.EVP_DigestSign(context, s, &length, messagePointer, (nuint)message.Length) != 1
                    || length != SignatureSize)
                {
                    LibCrypto.ERR_clear_error();
                    throw new CryptographicException("libcrypto failed to produce an Ed25519 signature.");
                }
            }
        }
        finally
        {
            LibCrypto.EVP_MD_CTX_free(context);
            if (added)
            {
                key.DangerousRelease();
            }
        }

        return signature;
    }

    internal static unsafe bool Verify(EvpPKeyHandle key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureSize)
        {
            return false;
        }

        byte dummy = 0;
        var added = false;
        var context = LibCrypto.EVP_MD_CTX_new();
        if (context == 0)
        {
            throw new CryptographicException("libcrypto could not allocate a digest context.");
        }

        try
        {
            key.DangerousAddRef(ref added);
            fixed (byte* m = message)
            fixed (byte* s = signature)
            {
                var messagePointer = m is null ? &dummy : m;
                if (LibCrypto.EVP_DigestVerifyInit(context, 0, 0, 0, key.DangerousGetHandle()) != 1)
                {
                    LibCrypto.ERR_clear_error();
                    throw new CryptographicException("libcrypto could not start an Ed25519 verification.");
                }

                var result = LibCrypto.EVP_DigestVerify(context, s, SignatureSize, messagePointer, (nuint)message.Length);
                if (result != 1)
                {
                    LibCrypto.ERR_clear_error();
                }

                return result == 1;
            }
        }
        finally
        {
            LibCrypto.EVP_MD_CTX_free(context);
            if (added)
            {
                key.DangerousRelease();
            }
        }
    }

    private static string? Probe()
    {
        var load = LibCrypto.EnsureLoaded();
        if (!load.IsLoaded)
        {
            return load.Detail;
        }

        try
        {
            // Self-test: libcrypto 1.1.0 and builds without Ed25519 fail here rather than later.
            Span<byte> seed = stackalloc byte[SeedSize];
            using var privateKey = ImportPrivateKey(seed);
            var signature = Sign(privateKey, "self-test"u8);
            using var publicKey = ImportPublicKey(ExportPublicKey(privateKey));
            return publicKey is not null && Verify(publicKey, "self-test"u8, signature)
                ? null
                : load.LibraryFile + " failed the Ed25519 self-test";
        }
        catch (Exception e) when (e is CryptographicException or EntryPointNotFoundException or DllNotFoundException)
        {
            return load.LibraryFile + " has no usable Ed25519 (" + e.Message + ")";
        }
    }
}
