using System.Security.Cryptography;

namespace Ledger.Domain.Crypto;

/// <summary>An Ed25519 private key (32-byte RFC 8032 seed), signing through libcrypto (<see cref="Ed25519"/>).</summary>
/// <remarks>Thread-safe for signing. Dispose to free the libcrypto key and zero the seed.</remarks>
public sealed class Ed25519SigningKey : SigningKey
{
    private readonly byte[] _seed;
    private readonly EvpPKeyHandle _key;
    private bool _disposed;

    private Ed25519SigningKey(ReadOnlySpan<byte> seed)
    {
        Ed25519.ThrowIfUnsupported();
        _key = Ed25519.ImportPrivateKey(seed);
        _seed = seed.ToArray();
        VerificationKey = Ed25519VerificationKey.FromPublicKey(Ed25519.ExportPublicKey(_key));
    }

    /// <inheritdoc />
    public override string Algorithm => SignatureAlgorithm.Ed25519;

    /// <inheritdoc cref="SigningKey.VerificationKey" />
    public override Ed25519VerificationKey VerificationKey { get; }

    /// <summary>Creates the key of a 32-byte seed.</summary>
    /// <exception cref="FormatException">The seed is not 32 bytes.</exception>
    /// <exception cref="PlatformNotSupportedException">libcrypto with Ed25519 is not available.</exception>
    public static Ed25519SigningKey FromSeed(ReadOnlySpan<byte> seed) =>
        seed.Length == Ed25519.SeedSize
            ? new Ed25519SigningKey(seed)
            : throw new FormatException($"An Ed25519 seed is {Ed25519.SeedSize} bytes, not {seed.Length}.");

    /// <summary>A copy of the 32-byte seed.</summary>
    public byte[] ExportSeed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (byte[])_seed.Clone();
    }

    /// <summary>Signs <paramref name="message"/>; returns 64 bytes.</summary>
    public override byte[] Sign(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Ed25519.Sign(_key, message);
    }

    internal static Ed25519SigningKey Generate()
    {
        Ed25519.ThrowIfUnsupported();
        var seed = Ed25519.GenerateSeed();
        try
        {
            return new Ed25519SigningKey(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _key.Dispose();
            CryptographicOperations.ZeroMemory(_seed);
        }

        _disposed = true;
    }
}
