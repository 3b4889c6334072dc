using System.Buffers;
using System.Buffers.Text;

namespace Ledger.Domain.Log;

/// <summary>
/// Standard base64 with padding (RFC 4648 §4) in its one canonical spelling: no whitespace, no
/// line breaks, zero pad bits. A value that decodes but would re-encode differently is refused,
/// so that one byte string has exactly one text form in the log.
/// </summary>
internal static class StrictBase64
{
    public static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            return false;
        }

        bytes = buffer.AsSpan(0, written).ToArray();
        return string.Equals(Convert.ToBase64String(bytes), text, StringComparison.Ordinal);
    }

    /// <summary>
    /// <see cref="TryDecode(string, out byte[])"/> of the text whose UTF-8 bytes are <paramref name="utf8"/>, without
    /// making the string: the same bytes or the same refusal (the text must be exactly the encoding of what it decodes to).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> utf8, out byte[] bytes)
    {
        bytes = [];
        if (utf8.Length == 0 || utf8.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[utf8.Length / 4 * 3];
        if (Base64.DecodeFromUtf8(utf8, buffer, out _, out var written) != OperationStatus.Done)
        {
            return false;
        }

        var decoded = buffer.AsSpan(0, written);
        var encoded = utf8.Length <= 256 ? stackalloc byte[utf8.Length] : new byte[utf8.Length];
        if (Base64.EncodeToUtf8(decoded, encoded, out _, out var encodedLength) != OperationStatus.Done
            || !encoded[..encodedLength].SequenceEqual(utf8))
        {
            return false;
        }

        bytes = written == buffer.Length ? buffer : decoded.ToArray();
        return true;
    }
}
