using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Ledger.Domain.Canonical;

// Reads the input with Utf8JsonReader (which enforces RFC 8259 syntax) and writes the canonical
// form as it goes. What the reader does not check, RFC 8785 needs and is checked here: duplicate
// keys, UTF-8 validity, lone surrogate escapes, number range, and the nesting limit (checked here
// rather than by the reader so that it gets its own error code).
public static partial class JsonCanonicalizer
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        AllowMultipleValues = false,
        MaxDepth = MaxDepth + 1,
    };

    /// <summary>Canonicalizes <paramref name="input"/> into <paramref name="output"/>.</summary>
    /// <param name="input">One JSON value in UTF-8.</param>
    /// <param name="output">Where the canonical bytes are appended.</param>
    /// <param name="enclosingDepth">How many objects and arrays enclose the value where it is written; counts toward <see cref="MaxDepth"/>.</param>
    internal static void Canonicalize(ReadOnlySpan<byte> input, CanonicalBuffer output, int enclosingDepth = 0)
    {
        var reader = new Utf8JsonReader(input, ReaderOptions);
        Read(ref reader, input);
        WriteValue(ref reader, input, output, enclosingDepth);

        var end = checked((int)reader.BytesConsumed);
        var rest = input[end..];
        var garbage = rest.IndexOfAnyExcept(" \t\r\n"u8);
        if (garbage >= 0)
        {
            throw new CanonicalJsonException(
                CanonicalJsonError.TrailingData,
                end + garbage,
                string.Create(CultureInfo.InvariantCulture, $"0x{rest[garbage]:x2} follows the single top-level JSON value; nothing but whitespace may."));
        }
    }

    private static void Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> input)
    {
        bool read;
        try
        {
            read = reader.Read();
        }
        catch (JsonException e)
        {
            throw new CanonicalJsonException(CanonicalJsonError.InvalidJson, OffsetOf(e, input), StripPosition(e.Message), e);
        }

        if (!read)
        {
            throw new CanonicalJsonException(CanonicalJsonError.InvalidJson, input.Length, "the input ends before a complete JSON value.");
        }
    }

    private static void WriteValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> input, CanonicalBuffer output, int enclosingDepth)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                CheckDepth(ref reader, enclosingDepth);
                WriteObject(ref reader, input, output, enclosingDepth);
                break;
            case JsonTokenType.StartArray:
                CheckDepth(ref reader, enclosingDepth);
                WriteArray(ref reader, input, output, enclosingDepth);
                break;
            case JsonTokenType.String:
                WriteString(ref reader, input, output);
                break;
            case JsonTokenType.Number:
                WriteNumber(ref reader, output);
                break;
            case JsonTokenType.True:
                output.Write("true"u8);
                break;
            case JsonTokenType.False:
                output.Write("false"u8);
                break;
            case JsonTokenType.Null:
                output.Write("null"u8);
                break;
            default:
                throw new CanonicalJsonException(
                    CanonicalJsonError.InvalidJson,
                    reader.TokenStartIndex,
                    string.Create(CultureInfo.InvariantCulture, $"a JSON value was expected, found {reader.TokenType}."));
        }
    }

    private static void CheckDepth(ref Utf8JsonReader reader, int enclosingDepth)
    {
        // CurrentDepth counts the containers around this one within the input; the root container is depth 1.
        if (enclosingDepth + reader.CurrentDepth + 1 > MaxDepth)
        {
            throw new CanonicalJsonException(
                CanonicalJsonError.DepthExceeded,
                reader.TokenStartIndex,
                string.Create(CultureInfo.InvariantCulture, $"objects and arrays are nested deeper than {MaxDepth} levels."));
        }
    }

    private static void WriteArray(ref Utf8JsonReader reader, ReadOnlySpan<byte> input, CanonicalBuffer output, int enclosingDepth)
    {
        output.Write((byte)'[');
        var first = true;
        while (true)
        {
            Read(ref reader, input);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (!first)
            {
                output.Write((byte)',');
            }

            WriteValue(ref reader, input, output, enclosingDepth);
            first = false;
        }

        output.Write((byte)']');
    }

    private static void WriteObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> input, CanonicalBuffer output, int enclosingDepth)
    {
        output.Write((byte)'{');
        var regionStart = output.Length;
        List<Member>? members = null;
        var sorted = true;
        while (true)
        {
            Read(ref reader, input);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var keyOffset = reader.TokenStartIndex;
            var key = ReadString(ref reader, input);
            members ??= [];
            if (members.Count > 0)
            {
                output.Write((byte)',');
                var order = string.CompareOrdinal(members[^1].Key, key);
                if (order == 0)
                {
                    throw DuplicateKey(key, keyOffset);
                }

                sorted &= order < 0;
            }

            var start = output.Length;
            CanonicalString.Write(output, key);
            output.Write((byte)':');
            Read(ref reader, input);
            WriteValue(ref reader, input, output, enclosingDepth);
            members.Add(new Member(key, keyOffset, start, output.Length));
        }

        if (!sorted)
        {
            Reorder(members!, regionStart, output);
        }

        output.Write((byte)'}');
    }

    // Members were written in input order, separated by commas; rewrite the region in key order.
    private static void Reorder(List<Member> members, int regionStart, CanonicalBuffer output)
    {
        members.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        for (var i = 1; i < members.Count; i++)
        {
            if (string.Equals(members[i - 1].Key, members[i].Key, StringComparison.Ordinal))
            {
                throw DuplicateKey(members[i].Key, Math.Max(members[i - 1].KeyOffset, members[i].KeyOffset));
            }
        }

        var length = output.Length - regionStart;
        var region = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            output.MoveTailTo(regionStart, region);
            for (var i = 0; i < members.Count; i++)
            {
                if (i > 0)
                {
                    output.Write((byte)',');
                }

                var member = members[i];
                output.Write(region.AsSpan(member.Start - regionStart, member.End - member.Start));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(region);
        }
    }

    private static CanonicalJsonException DuplicateKey(string key, long offset) =>
        new(CanonicalJsonError.DuplicateKey, offset, $"the object already has a member named \"{Printable(key)}\".");

    // Utf8JsonReader reports line (counting '\n') and byte position in that line; turn them into an offset.
    private static long OffsetOf(JsonException e, ReadOnlySpan<byte> input)
    {
        long lineStart = 0;
        for (var line = 0L; line < (e.LineNumber ?? 0); line++)
        {
            var next = input[(int)lineStart..].IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }

            lineStart += next + 1;
        }

        return Math.Min(lineStart + (e.BytePositionInLine ?? 0), input.Length);
    }

    private static string StripPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at >= 0 ? message[..at] : message;
    }

    private static string Printable(string key) => key.Length <= 64 ? key : key[..64] + "…";

    private readonly record struct Member(string Key, long KeyOffset, int Start, int End);
}
