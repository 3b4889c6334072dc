using System.Runtime.CompilerServices;
using System.Text.Json;
using Ledger.Domain.Canonical;
using Ledger.Domain.Events;

namespace Ledger.Domain.Log;

// The cheap read of a well-formed entry: one Utf8JsonReader pass over the fourteen members in canonical order,
// with only data and metadata kept as JSON (each its own small document). Anything it does not expect (a member
// missing, extra, out of order or of another kind, a value the constructors refuse) sends the bytes to the
// JsonDocument read of LedgerEntry.Parsing.cs, which explains the problem; so both give the same entry or the
// same error.
public sealed partial record LedgerEntry
{
    // Slots of the strings each thread keeps (a power of two).
    private const int RepeatedSlots = 64;

    // The longest string kept there.
    private const int RepeatedMaxLength = 64;

    // A log's origin, its domains, emitters and event types repeat in nearly every entry: each thread keeps the last value
    // read into each of a few slots, so that a repeating value is not decoded and allocated again for every entry.
    [ThreadStatic]
    private static string?[]? _repeated;

    private static readonly JsonReaderOptions EntryReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = JsonCanonicalizer.MaxDepth + 1,
    };

    /// <summary>
    /// The canonical bytes of the entry's <see cref="Statement"/> (what its emitter signed), cut out of the entry's own
    /// canonical bytes: the statement's eight members are members of the entry, in the same order and spelling.
    /// </summary>
    /// <param name="canonicalEntry">An entry's canonical bytes, already checked (by <see cref="Parse"/>).</param>
    /// <returns>The same bytes as <see cref="EmitterStatement.ToCanonicalBytes"/> of the parsed entry, without re-canonicalizing <c>data</c>.</returns>
    /// <exception cref="FormatException">The bytes are not an entry object with the statement's members.</exception>
    public static byte[] StatementBytes(ReadOnlySpan<byte> canonicalEntry)
    {
        // data … occurredAt are the entry's first six members; stream and type are its 12th and 14th.
        Span<Range> members = stackalloc Range[MemberNames.Length];
        var count = 0;
        var reader = new Utf8JsonReader(canonicalEntry, EntryReaderOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("The entry is not a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (count == members.Length || !reader.ValueTextEquals(MemberNames[count]))
                {
                    throw new FormatException("The entry's members are not the fourteen members in canonical order.");
                }

                var start = checked((int)reader.TokenStartIndex);
                reader.Read();
                reader.Skip();
                members[count++] = start..checked((int)reader.BytesConsumed);
            }
        }
        catch (JsonException e)
        {
            throw new FormatException("The entry is not JSON: " + e.Message, e);
        }

        if (count != members.Length)
        {
            throw new FormatException("The entry's members are not the fourteen members in canonical order.");
        }

        var head = canonicalEntry[members[0].Start..members[5].End];
        var stream = canonicalEntry[members[11]];
        var type = canonicalEntry[members[13]];
        var bytes = new byte[head.Length + stream.Length + type.Length + 4];
        var at = 0;
        bytes[at++] = (byte)'{';
        head.CopyTo(bytes.AsSpan(at));
        at += head.Length;
        bytes[at++] = (byte)',';
        stream.CopyTo(bytes.AsSpan(at));
        at += stream.Length;
        bytes[at++] = (byte)',';
        type.CopyTo(bytes.AsSpan(at));
        at += type.Length;
        bytes[at] = (byte)'}';
        return bytes;
    }

    // checkCanonical: every token read is also held to RFC 8785 (JsonCanonicalizer.AcceptToken), so that one pass both
    // proves the text canonical and reads it; a text that is not canonical is declined like any other surprise.
    private static LedgerEntry? TryReadInOrder(ReadOnlySpan<byte> bytes, bool checkCanonical)
    {
        var reader = new EntryScanner(bytes, checkCanonical, stackalloc int[checkCanonical ? CanonicalScan.Depths : 0], stackalloc int[checkCanonical ? CanonicalScan.Depths : 0]);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            if (!Member(ref reader, "data"u8) || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var data = reader.ReadObject();
            string? domain = null, emitter = null, eventId = null, occurredAt = null, origin = null;
            if (data.ValueKind != JsonValueKind.Object
                || !RepeatedStringMember(ref reader, "domain"u8, ref domain)
                || !RepeatedStringMember(ref reader, "emitter"u8, ref emitter)
                || !StringMember(ref reader, "eventId"u8, ref eventId, nullable: false)
                || !Member(ref reader, "metadata"u8))
            {
                return null;
            }

            JsonElement? metadata = reader.TokenType switch
            {
                JsonTokenType.StartObject => reader.ReadObject(),
                JsonTokenType.Null => null,
                _ => default(JsonElement),
            };
            if (metadata is { ValueKind: not JsonValueKind.Object }
                || !StringMember(ref reader, "occurredAt"u8, ref occurredAt, nullable: true)
                || !RepeatedStringMember(ref reader, "origin"u8, ref origin)
                || !IntegerMember(ref reader, "position"u8, out var position)
                || !PrevMember(ref reader, out var prevHash)
                || !RecordedAtMember(ref reader, out var recorded)
                || !Member(ref reader, "signature"u8))
            {
                return null;
            }

            EmitterSignature? signature = null;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                string? alg = null, keyId = null, value = null;
                if (!RepeatedStringMember(ref reader, "alg"u8, ref alg)
                    || !RepeatedStringMember(ref reader, "keyId"u8, ref keyId)
                    || !StringMember(ref reader, "value"u8, ref value, nullable: false)
                    || !reader.Read() || reader.TokenType != JsonTokenType.EndObject)
                {
                    return null;
                }

                signature = new EmitterSignature(alg!, keyId!, value!);
            }
            else if (reader.TokenType != JsonTokenType.Null)
            {
                return null;
            }

            string? stream = null, type = null;
            if (!StringMember(ref reader, "stream"u8, ref stream, nullable: false)
                || !IntegerMember(ref reader, "streamVersion"u8, out var streamVersion)
                || !RepeatedStringMember(ref reader, "type"u8, ref type)
                || !reader.Read() || reader.TokenType != JsonTokenType.EndObject
                || reader.Read() || !reader.AtEnd)
            {
                return null;
            }

            var statement = new EmitterStatement(stream!, eventId!, type!, domain!, emitter!, occurredAt, data, metadata);
            return new LedgerEntry(origin!, position, recorded, streamVersion, statement, signature, prevHash);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    // Reads the next member's name, which must be <paramref name="name"/>, and moves to its value.
    private static bool Member(ref EntryScanner reader, ReadOnlySpan<byte> name) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(name) && reader.Read();

    private static bool StringMember(ref EntryScanner reader, ReadOnlySpan<byte> name, ref string? value, bool nullable)
    {
        if (!Member(ref reader, name))
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            value = reader.GetString();
            return true;
        }

        return nullable && reader.TokenType == JsonTokenType.Null;
    }

    // A string member whose values repeat from entry to entry: the same string as GetString, taken from this thread's
    // slots when the bytes are those of the string last kept in theirs (plain ASCII, no escapes).
    private static bool RepeatedStringMember(ref EntryScanner reader, ReadOnlySpan<byte> name, ref string? value)
    {
        if (!Member(ref reader, name) || reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        var raw = reader.ValueSpan;
        if (reader.ValueIsEscaped || raw.Length is 0 or > RepeatedMaxLength)
        {
            value = reader.GetString();
            return true;
        }

        var hash = 2166136261u; // FNV-1a
        foreach (var b in raw)
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        var slots = _repeated ??= new string?[RepeatedSlots];
        ref var slot = ref slots[(int)(hash & (RepeatedSlots - 1))];
        if (slot is { } kept && kept.Length == raw.Length && System.Text.Ascii.Equals(raw, kept))
        {
            value = kept;
            return true;
        }

        value = reader.GetString()!;
        if (System.Text.Ascii.IsValid(raw))
        {
            slot = value;
        }

        return true;
    }

    // prev: null, or the base64 of a 32-byte hash, decoded from its UTF-8 bytes (the string is not needed).
    private static bool PrevMember(ref EntryScanner reader, out byte[]? hash)
    {
        hash = null;
        if (!Member(ref reader, "prev"u8))
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String
            || !(reader.ValueIsEscaped ? StrictBase64.TryDecode(reader.GetString()!, out var decoded) : StrictBase64.TryDecode(reader.ValueSpan, out decoded))
            || decoded.Length != 32)
        {
            return false;
        }

        hash = decoded;
        return true;
    }

    // recordedAt in the ledger's own form, read from its bytes through a stack buffer; anything else as a string, by
    // TryParseRecordedAt (whose first step is the same reading of the same characters).
    private static bool RecordedAtMember(ref EntryScanner reader, out DateTimeOffset value)
    {
        value = default;
        if (!Member(ref reader, "recordedAt"u8) || reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        Span<char> chars = stackalloc char[27]; // yyyy-MM-ddTHH:mm:ss.ffffffZ
        if (!reader.ValueIsEscaped
            && reader.ValueSpan.Length <= chars.Length
            && System.Text.Ascii.ToUtf16(reader.ValueSpan, chars, out var length) == System.Buffers.OperationStatus.Done
            && Rfc3339.TryParseCanonical(chars[..length], out value))
        {
            return true;
        }

        return TryParseRecordedAt(reader.GetString(), out value);
    }

    private static bool IntegerMember(ref EntryScanner reader, ReadOnlySpan<byte> name, out long value)
    {
        value = 0;
        return Member(ref reader, name) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value);
    }

    // A Utf8JsonReader over one entry that, when asked to, holds every token it reads to the canonical form as well.
    private ref struct EntryScanner
    {
        private readonly ReadOnlySpan<byte> _bytes;
        private readonly bool _checkCanonical;
        private Utf8JsonReader _reader;
        private CanonicalScan _scan;

        public EntryScanner(ReadOnlySpan<byte> bytes, bool checkCanonical, Span<int> keyStart, Span<int> keyLength)
        {
            _bytes = bytes;
            _checkCanonical = checkCanonical;
            _reader = new Utf8JsonReader(bytes, EntryReaderOptions);
            _scan = new CanonicalScan(keyStart, keyLength);
        }

        public JsonTokenType TokenType => _reader.TokenType;

        /// <summary>Whether every byte was read as canonical text (always, when the text is not being checked).</summary>
        public readonly bool AtEnd => !_checkCanonical || _scan.Expected == _bytes.Length;

        /// <summary>Reads the next token; false at the end of the text, or when it is checked and not canonical.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Read() =>
            _reader.Read() && (!_checkCanonical || JsonCanonicalizer.AcceptToken(ref _reader, _bytes, ref _scan));

        public bool ValueTextEquals(ReadOnlySpan<byte> text) => _reader.ValueTextEquals(text);

        public string? GetString() => _reader.GetString();

        public bool TryGetInt64(out long value) => _reader.TryGetInt64(out value);

        public bool ValueIsEscaped => _reader.ValueIsEscaped;

        public ReadOnlySpan<byte> ValueSpan => _reader.ValueSpan;

        /// <summary>
        /// At an object's start, reads the object to its end and returns it as its own small document; an undefined
        /// element when it is checked and not canonical.
        /// </summary>
        /// <remarks>
        /// When checked, the checks see every token of the object first; its bytes are then parsed on their own (a
        /// document that owns a copy of them and needs no disposing, as <see cref="JsonElement.ParseValue"/> makes).
        /// A document rented from the array pool and never returned allocated about 250 bytes more per entry.
        /// </remarks>
        public JsonElement ReadObject()
        {
            if (!_checkCanonical)
            {
                return JsonElement.ParseValue(ref _reader);
            }

            var start = checked((int)_reader.TokenStartIndex);
            var depth = _reader.CurrentDepth;
            while (Read())
            {
                if (_reader.CurrentDepth == depth && _reader.TokenType == JsonTokenType.EndObject)
                {
                    var end = checked((int)_reader.BytesConsumed);
                    var value = new Utf8JsonReader(_bytes[start..end], EntryReaderOptions);
                    return JsonElement.ParseValue(ref value);
                }
            }

            return default;
        }
    }
}
