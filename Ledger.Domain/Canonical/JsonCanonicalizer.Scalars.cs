using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Ledger.Domain.Canonical;

// Strings and numbers: the UTF-8 and surrogate checks of RFC 8785 §3.1 and the writing of §3.2.2.
public static partial class JsonCanonicalizer
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static void WriteString(ref Utf8JsonReader reader, ReadOnlySpan<byte> input, CanonicalBuffer output)
    {
        // Without escapes, the raw bytes hold no control character, quote or backslash (the reader
        // refuses those unescaped), so once they are valid UTF-8 they are already canonical.
        if (!reader.ValueIsEscaped)
        {
            var raw = reader.ValueSpan;
            CheckUtf8(raw, reader.TokenStartIndex + 1);
            output.Write((byte)'"');
            output.Write(raw);
            output.Write((byte)'"');
            return;
        }

        CanonicalString.Write(output, ReadString(ref reader, input));
    }

    private static void WriteNumber(ref Utf8JsonReader reader, CanonicalBuffer output)
    {
        // An integer of at most 15 digits is exactly a double, and ECMAScript writes it as those digits.
        var raw = reader.ValueSpan;
        if (IsShortCanonicalInteger(raw))
        {
            output.Write(raw);
            return;
        }

        // The reader has checked the syntax; TryGetDouble fails only when the value overflows a double.
        if (!reader.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            var text = Encoding.ASCII.GetString(reader.ValueSpan);
            throw new CanonicalJsonException(
                CanonicalJsonError.NumberOutOfRange,
                reader.TokenStartIndex,
                $"the number {text} is outside the finite IEEE 754 double range (RFC 8785 §3.2.2.3).");
        }

        var formatted = EcmaScriptNumber.Format(value);
        var written = Encoding.ASCII.GetBytes(formatted, output.Reserve(formatted.Length));
        output.Advance(written);
    }

    // Returns the unescaped value of the current string or property name token.
    private static string ReadString(ref Utf8JsonReader reader, ReadOnlySpan<byte> input)
    {
        var raw = reader.ValueSpan;
        var rawOffset = reader.TokenStartIndex + 1; // past the opening quote
        CheckUtf8(raw, rawOffset);
        if (!reader.ValueIsEscaped)
        {
            return StrictUtf8.GetString(raw);
        }

        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            // The only way a syntactically valid, valid-UTF-8 string fails to decode is an escaped
            // surrogate that is not part of a high-low pair; find it to report where.
            var lone = Math.Max(IndexOfLoneSurrogateEscape(raw), 0);
            var escape = Encoding.ASCII.GetString(raw.Slice(lone, Math.Min(6, raw.Length - lone)));
            throw new CanonicalJsonException(
                CanonicalJsonError.LoneSurrogate,
                rawOffset + lone,
                $"the escape {escape} is a surrogate without its pair; JSON strings must be valid Unicode (RFC 8785 §3.1).",
                e);
        }
    }

    private static void CheckUtf8(ReadOnlySpan<byte> raw, long rawOffset)
    {
        if (!Utf8.IsValid(raw))
        {
            var bad = IndexOfInvalidUtf8(raw);
            throw new CanonicalJsonException(
                CanonicalJsonError.InvalidUtf8,
                rawOffset + bad,
                string.Create(CultureInfo.InvariantCulture, $"byte 0x{raw[bad]:x2} does not start a well-formed UTF-8 sequence (RFC 3629)."));
        }
    }

    // "0", or an optional minus, a non-zero digit and at most 14 more digits: no fraction, no exponent.
    private static bool IsShortCanonicalInteger(ReadOnlySpan<byte> number)
    {
        var digits = number.Length > 0 && number[0] == (byte)'-' ? number[1..] : number;
        if (digits.Length is 0 or > 15 || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return false;
        }

        return digits[0] != (byte)'0' || (digits.Length == 1 && digits.Length == number.Length);
    }

    private static int IndexOfInvalidUtf8(ReadOnlySpan<byte> raw)
    {
        var index = 0;
        while (index < raw.Length)
        {
            if (Rune.DecodeFromUtf8(raw[index..], out _, out var consumed) != OperationStatus.Done)
            {
                return index;
            }

            index += consumed;
        }

        return 0;
    }

    private static int IndexOfLoneSurrogateEscape(ReadOnlySpan<byte> raw)
    {
        // The reader has checked that every backslash starts a valid escape.
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\')
            {
                continue;
            }

            if (raw[i + 1] != (byte)'u')
            {
                i++;
                continue;
            }

            var unit = HexUnit(raw.Slice(i + 2, 4));
            if (char.IsHighSurrogate(unit)
                && i + 12 <= raw.Length
                && raw[i + 6] == (byte)'\\'
                && raw[i + 7] == (byte)'u'
                && char.IsLowSurrogate(HexUnit(raw.Slice(i + 8, 4))))
            {
                i += 11;
            }
            else if (char.IsSurrogate(unit))
            {
                return i;
            }
            else
            {
                i += 5;
            }
        }

        return -1;
    }

    private static char HexUnit(ReadOnlySpan<byte> fourHexDigits) =>
        (char)ushort.Parse(fourHexDigits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
