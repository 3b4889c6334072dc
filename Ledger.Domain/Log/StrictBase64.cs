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
}
