using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Ledger.Domain.Canonical;

// The canonical check in one forward pass: Utf8JsonReader checks the RFC 8259 syntax, and each token is
// checked against what the canonicalizer would write in its place, without writing anything. The text is
// canonical exactly when every token is spelled as the canonicalizer spells it, tokens are separated by
// nothing but the one ',' or ':' the grammar needs, and every object's keys ascend strictly (by UTF-16
// code units, RFC 8785 §3.2.3), which also rules out duplicates. Re-serializing (FirstDifference) is kept
// as the oracle: the property tests hold the two to the same verdict, and it still explains a rejection.
public static partial class JsonCanonicalizer
{
    private const int NoKey = -1;

    /// <summary>Whether <paramref name="utf8Json"/> is canonical, decided in one pass without producing the canonical form.</summary>
    /// <remarks>Never throws. Same verdict as <c>FirstDifference(utf8Json) &lt; 0</c> with no exception (the property tests check it).</remarks>
    internal static bool IsCanonicalOnePass(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.IsEmpty)
        {
            return false;
        }

        var scan = new CanonicalScan(stackalloc int[CanonicalScan.Depths], stackalloc int[CanonicalScan.Depths]);
        scoped var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        try
        {
            while (reader.Read())
            {
                if (!AcceptToken(ref reader, utf8Json, ref scan))
                {
                    return false;
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return scan.Expected == utf8Json.Length;
    }

    /// <summary>
    /// Checks the token <paramref name="reader"/> has just read against what the canonicalizer would write in its place:
    /// the one step of <see cref="IsCanonicalOnePass"/>, for a caller that reads the text for its own purpose at the same
    /// time. The text is canonical when every token is accepted, the reader was made with the canonicalizer's options, and
    /// at the end <see cref="CanonicalScan.Expected"/> equals the text's length.
    /// </summary>
    // Runs for every token of every entry a verifier reads, from the first on: compiled optimized at once rather than left
    // unoptimized until tiering promotes it, which in a run of a few seconds is much of the run (docs/BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool AcceptToken(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8Json, ref CanonicalScan scan)
    {
        var start = checked((int)reader.TokenStartIndex);
        if (start != scan.Expected && !IsSeparator(utf8Json, scan.Expected, start))
        {
            return false;
        }

        int end;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                if (reader.CurrentDepth + 1 > MaxDepth)
                {
                    return false;
                }

                scan.KeyStart[reader.CurrentDepth + 1] = NoKey;
                end = start + 1;
                break;
            case JsonTokenType.EndObject:
            case JsonTokenType.EndArray:
                end = start + 1;
                break;
            case JsonTokenType.PropertyName:
            {
                var raw = reader.ValueSpan;
                var rawStart = start + 1;
                if (!IsCanonicalStringBody(raw, reader.ValueIsEscaped))
                {
                    return false;
                }

                var depth = reader.CurrentDepth;
                if (scan.KeyStart[depth] != NoKey
                    && CompareKeys(utf8Json.Slice(scan.KeyStart[depth], scan.KeyLength[depth]), raw) >= 0)
                {
                    return false;
                }

                scan.KeyStart[depth] = rawStart;
                scan.KeyLength[depth] = raw.Length;
                end = rawStart + raw.Length + 1;
                break;
            }

            case JsonTokenType.String:
                if (!IsCanonicalStringBody(reader.ValueSpan, reader.ValueIsEscaped))
                {
                    return false;
                }

                end = start + reader.ValueSpan.Length + 2;
                break;
            case JsonTokenType.Number:
                if (!IsCanonicalNumber(ref reader))
                {
                    return false;
                }

                end = start + reader.ValueSpan.Length;
                break;
            case JsonTokenType.True:
            case JsonTokenType.False:
            case JsonTokenType.Null:
                end = start + reader.ValueSpan.Length;
                break;
            default:
                return false;
        }

        scan.Expected = end;
        return true;
    }

    // Between two tokens of canonical text stands nothing, or the single ',' or ':' the grammar requires
    // there (the reader has checked which one; whitespace is what is ruled out here).
    private static bool IsSeparator(ReadOnlySpan<byte> input, int at, int next) =>
        next == at + 1 && input[at] is (byte)',' or (byte)':';

    // A string token's bytes between the quotes are canonical when they are valid UTF-8 and every escape is
    // the one JSON.stringify writes (RFC 8785 §3.2.2.2): \b \t \n \f \r \" \\ and \u00xx (lowercase hex)
    // for the other controls below U+0020. Everything else is literal; the reader refuses unescaped controls,
    // quotes and backslashes, so an unescaped string is canonical once its UTF-8 is valid.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // every string of every entry, see AcceptToken
    private static bool IsCanonicalStringBody(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!Utf8.IsValid(raw))
        {
            return false;
        }

        if (!escaped)
        {
            return true;
        }

        var rest = raw;
        while (true)
        {
            var backslash = rest.IndexOf((byte)'\\');
            if (backslash < 0)
            {
                return true;
            }

            rest = rest[(backslash + 1)..];
            switch (rest[0])
            {
                case (byte)'b' or (byte)'t' or (byte)'n' or (byte)'f' or (byte)'r' or (byte)'"' or (byte)'\\':
                    rest = rest[1..];
                    break;
                case (byte)'u':
                    if (rest.Length < 5 || rest[1] != '0' || rest[2] != '0' || rest[3] is not ((byte)'0' or (byte)'1') || !IsLowerHexDigit(rest[4]))
                    {
                        return false;
                    }

                    var unit = ((rest[3] - '0') << 4) | HexValue(rest[4]);
                    if (unit is '\b' or '\t' or '\n' or '\f' or '\r')
                    {
                        return false;
                    }

                    rest = rest[5..];
                    break;
                default:
                    return false;
            }
        }
    }

    private static bool IsLowerHexDigit(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f');

    private static int HexValue(byte b) => b <= '9' ? b - '0' : b - 'a' + 10;

    // A number is canonical when it is written exactly as ECMAScript writes its double (§3.2.2.3).
    private static bool IsCanonicalNumber(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (IsShortCanonicalInteger(raw))
        {
            return true;
        }

        if (!reader.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            return false;
        }

        return Ascii.Equals(raw, EcmaScriptNumber.Format(value));
    }

    // Compares two keys, both already known to be canonically escaped, by the UTF-16 code units of their
    // values (RFC 8785 §3.2.3). Up to their first differing byte the two are the same bytes, so the same characters:
    // when no escape is among them and the differing bytes are two ASCII characters other than '\' (or one key ends
    // there), those bytes decide, as the code units would. Otherwise plain ASCII compares bytewise, which is the same
    // order, and anything else is decoded.
    internal static int CompareKeys(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> next)
    {
        var common = previous.CommonPrefixLength(next);
        if (!previous[..common].Contains((byte)'\\'))
        {
            if (common == previous.Length || common == next.Length)
            {
                return previous.Length - next.Length;
            }

            var a = previous[common];
            var b = next[common];
            if (a < 0x80 && b < 0x80 && a != (byte)'\\' && b != (byte)'\\')
            {
                return a - b;
            }
        }

        return CompareKeysByValue(previous, next);
    }

    // CompareKeys without the shortcut: the reference its test holds it to.
    internal static int CompareKeysByValue(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> next)
    {
        if (Ascii.IsValid(previous) && Ascii.IsValid(next) && !previous.Contains((byte)'\\') && !next.Contains((byte)'\\'))
        {
            return previous.SequenceCompareTo(next);
        }

        return string.CompareOrdinal(DecodeCanonicalString(previous), DecodeCanonicalString(next));
    }

    // The value of a canonically escaped string body: every escape stands for one ASCII character.
    private static string DecodeCanonicalString(ReadOnlySpan<byte> raw)
    {
        if (!raw.Contains((byte)'\\'))
        {
            return Encoding.UTF8.GetString(raw);
        }

        var bytes = new byte[raw.Length];
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\')
            {
                bytes[length++] = raw[i];
                continue;
            }

            var kind = raw[++i];
            bytes[length++] = kind switch
            {
                (byte)'b' => (byte)'\b',
                (byte)'t' => (byte)'\t',
                (byte)'n' => (byte)'\n',
                (byte)'f' => (byte)'\f',
                (byte)'r' => (byte)'\r',
                (byte)'u' => (byte)(((raw[i + 3] - '0') << 4) | HexValue(raw[i + 4])),
                _ => kind, // '"' and '\\'
            };
            if (kind == (byte)'u')
            {
                i += 4;
            }
        }

        return Encoding.UTF8.GetString(bytes, 0, length);
    }
}
