using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Ledger.Domain.Notes;

/// <summary>
/// The Ed25519 cosignature of c2sp.org/tlog-cosignature (signature type 0x04, "cosignature/v1").
/// </summary>
/// <remarks>
/// <para>The signature bytes after the key id are <c>timestamp (u64, big-endian, POSIX seconds) ‖ Ed25519 signature
/// (64 bytes)</c>. The signed message is <c>"cosignature/v1\n" ‖ "time " ‖ decimal(timestamp) ‖ "\n" ‖ checkpoint
/// text</c>, where the checkpoint text has at least two newlines.</para>
/// <para>Stateless and thread-safe.</para>
/// </remarks>
public static class CosignatureV1
{
    /// <summary>Size of the timestamp that precedes the Ed25519 signature.</summary>
    public const int TimestampSize = 8;

    /// <summary>The header line (without its newline) that separates this domain from plain note signatures.</summary>
    public const string Header = "cosignature/v1";

    /// <summary>Reads the timestamp of a cosignature (seconds since the POSIX epoch); false if the signature is too
    /// short to be one or the timestamp exceeds 2^63 − 1.</summary>
    public static bool TryGetTimestamp(NoteSignature signature, out long timestamp)
    {
        ArgumentNullException.ThrowIfNull(signature);
        timestamp = 0;
        var bytes = signature.Signature;
        if (bytes.Length < TimestampSize + Crypto.Ed25519.SignatureSize)
        {
            return false;
        }

        var value = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        if (value > long.MaxValue)
        {
            return false;
        }

        timestamp = (long)value;
        return true;
    }

    /// <summary>The message a cosigner signs for <paramref name="checkpointText"/> at <paramref name="timestamp"/>.</summary>
    /// <exception cref="ArgumentException">The text has fewer than two newlines (as the Go implementation, which needs three parts when split at newlines).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative timestamp.</exception>
    public static byte[] BuildMessage(long timestamp, ReadOnlySpan<byte> checkpointText)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        return TryBuildMessage(timestamp, checkpointText, out var message)
            ? message
            : throw new ArgumentException("A cosigned checkpoint text has at least two newlines.", nameof(checkpointText));
    }

    internal static bool TryBuildMessage(long timestamp, ReadOnlySpan<byte> text, [NotNullWhen(true)] out byte[]? message)
    {
        message = null;
        if (timestamp < 0 || text.Count((byte)'\n') < 2)
        {
            return false;
        }

        var header = Encoding.ASCII.GetBytes(
            Header + "\ntime " + timestamp.ToString(CultureInfo.InvariantCulture) + "\n");
        message = new byte[header.Length + text.Length];
        header.CopyTo(message, 0);
        text.CopyTo(message.AsSpan(header.Length));
        return true;
    }
}
