using System.Buffers;
using System.Text;

namespace Ledger.Domain.Canonical;

/// <summary>
/// Writes a string as RFC 8785 §3.2.2.2 requires (the escaping of ECMAScript's
/// <c>JSON.stringify</c>): <c>\b \t \n \f \r \" \\</c> as two-character escapes, the other
/// controls below U+0020 as <c>\u00xx</c> with lowercase hex, every other character as its literal
/// UTF-8 bytes.
/// </summary>
/// <remarks>
/// Written by hand because no BCL encoder escapes exactly this set: <see cref="System.Text.Json.Utf8JsonWriter"/>
/// with any <see cref="System.Text.Encodings.Web.JavaScriptEncoder"/> escapes more (non-ASCII,
/// <c>+</c>, <c>&lt;</c>, U+2028…) and writes uppercase hex. Pure and thread-safe.
/// </remarks>
internal static class CanonicalString
{
    private static readonly SearchValues<char> NeedsEscape = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes <paramref name="value"/> quoted and escaped. The caller has checked that it is well-formed UTF-16.</summary>
    public static void Write(CanonicalBuffer buffer, ReadOnlySpan<char> value)
    {
        buffer.Write((byte)'"');
        while (!value.IsEmpty)
        {
            var run = value.IndexOfAny(NeedsEscape);
            var literal = run < 0 ? value : value[..run];
            if (!literal.IsEmpty)
            {
                var written = StrictUtf8.GetBytes(literal, buffer.Reserve(StrictUtf8.GetMaxByteCount(literal.Length)));
                buffer.Advance(written);
            }

            if (run < 0)
            {
                break;
            }

            WriteEscape(buffer, value[run]);
            value = value[(run + 1)..];
        }

        buffer.Write((byte)'"');
    }

    /// <summary>Returns the index of the first unpaired surrogate in <paramref name="value"/>, or -1 if it is well-formed UTF-16.</summary>
    public static int IndexOfLoneSurrogate(ReadOnlySpan<char> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static void WriteEscape(CanonicalBuffer buffer, char c)
    {
        var escape = c switch
        {
            '\b' => "\\b"u8,
            '\t' => "\\t"u8,
            '\n' => "\\n"u8,
            '\f' => "\\f"u8,
            '\r' => "\\r"u8,
            '"' => "\\\""u8,
            '\\' => "\\\\"u8,
            _ => [],
        };

        if (!escape.IsEmpty)
        {
            buffer.Write(escape);
            return;
        }

        ReadOnlySpan<byte> hex = "0123456789abcdef"u8;
        buffer.Write("\\u00"u8);
        buffer.Write(hex[c >> 4]);
        buffer.Write(hex[c & 0xF]);
    }
}
