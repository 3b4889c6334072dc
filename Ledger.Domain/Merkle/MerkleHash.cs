using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Ledger.Domain.Crypto;

namespace Ledger.Domain.Merkle;

/// <summary>
/// The RFC 6962 / RFC 9162 §2.1 tree hash: SHA-256 with one-byte domain-separation prefixes.
/// Leaf hash = SHA-256(0x00 ‖ entry); interior node hash = SHA-256(0x01 ‖ left ‖ right);
/// the root of the empty tree is SHA-256 of the empty string.
/// </summary>
/// <remarks>
/// <para>See https://www.rfc-editor.org/rfc/rfc9162#section-2.1.1. This file is the only place that
/// names the prefixes; every leaf and node hash in the product goes through these methods.</para>
/// <para>Every method is pure and thread-safe (each thread hashes with its own reusable SHA-256 context).
/// The byte-array overloads return a fresh array the
/// caller owns; the span overloads write exactly <see cref="Size"/> bytes and allocate nothing.</para>
/// </remarks>
[System.Runtime.CompilerServices.SkipLocalsInit]
public static class MerkleHash
{
    /// <summary>The prefix hashed before a leaf entry (RFC 6962 §2.1: <c>0x00</c>).</summary>
    public const byte LeafPrefix = 0x00;

    /// <summary>The prefix hashed before two child hashes (RFC 6962 §2.1: <c>0x01</c>).</summary>
    public const byte NodePrefix = 0x01;

    /// <summary>The size in bytes of every leaf, node and root hash (SHA-256).</summary>
    public const int Size = 32;

    // Inputs up to this size are assembled on the stack and hashed in one call.
    private const int StackLimit = 512;

    // One SHA-256 context per thread, reused: for the 65-byte inputs of a tree this is markedly faster than
    // SHA256.HashData, which sets up and tears down a native context on every call.
    [ThreadStatic]
    private static IncrementalHash? _sha256;

    /// <summary>Returns SHA-256(0x00 ‖ <paramref name="entry"/>), the leaf hash of an entry.</summary>
    public static byte[] HashLeaf(ReadOnlySpan<byte> entry)
    {
        var hash = new byte[Size];
        HashLeaf(entry, hash);
        return hash;
    }

    /// <summary>Writes SHA-256(0x00 ‖ <paramref name="entry"/>) into the first 32 bytes of <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first leaf on, see Sha256Native.Hash
    public static void HashLeaf(ReadOnlySpan<byte> entry, Span<byte> destination)
    {
        RequireDestination(destination);
        if (entry.Length < StackLimit)
        {
            Span<byte> buffer = stackalloc byte[StackLimit];
            buffer[0] = LeafPrefix;
            entry.CopyTo(buffer[1..]);
            Hash(buffer[..(entry.Length + 1)], [], destination);
            return;
        }

        ReadOnlySpan<byte> prefix = [LeafPrefix];
        Hash(prefix, entry, destination);
    }

    /// <summary>Returns SHA-256(0x01 ‖ <paramref name="left"/> ‖ <paramref name="right"/>), the hash of an interior node.</summary>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        HashChildren(left, right, hash);
        return hash;
    }

    /// <summary>
    /// Writes SHA-256(0x01 ‖ <paramref name="left"/> ‖ <paramref name="right"/>) into the first 32 bytes of
    /// <paramref name="destination"/>. The destination may overlap either input.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first node on, see Sha256Native.Hash
    public static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        RequireDestination(destination);
        var length = 1 + left.Length + right.Length;
        if (length <= StackLimit)
        {
            Span<byte> buffer = stackalloc byte[StackLimit];
            buffer[0] = NodePrefix;
            left.CopyTo(buffer[1..]);
            right.CopyTo(buffer[(1 + left.Length)..]);
            Hash(buffer[..length], [], destination);
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            rented[0] = NodePrefix;
            left.CopyTo(rented.AsSpan(1));
            right.CopyTo(rented.AsSpan(1 + left.Length));
            Hash(rented.AsSpan(0, length), [], destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Returns the root hash of the empty tree, SHA-256 of the empty string (RFC 9162 §2.1.1).</summary>
    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>SHA-256(first ‖ second) with this thread's reusable context: OpenSSL's own where it can (<see cref="Sha256Native"/>), else the BCL's.</summary>
    private static void Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination)
    {
        if (Sha256Native.IsAvailable)
        {
            Sha256Native.Hash(first, second, destination);
            return;
        }

        HashWithBcl(first, second, destination);
    }

    /// <summary>SHA-256(first ‖ second) through the BCL, with this thread's reusable context.</summary>
    internal static void HashWithBcl(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination)
    {
        var sha256 = _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(first);
        if (!second.IsEmpty)
        {
            sha256.AppendData(second);
        }

        // Also resets the context for the next call on this thread.
        sha256.GetHashAndReset(destination);
    }

    private static void RequireDestination(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException(
                string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"The destination holds {destination.Length} bytes; a hash needs {Size}."),
                nameof(destination));
        }
    }
}
