using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Canonical;
using Ledger.Domain.Merkle;

namespace Ledger.Domain.Bundles;

/// <summary>
/// The one place that turns bundle records into lines and back. Every record line is an RFC 8785 canonical JSON
/// object with a <c>record</c> member and exactly the members its kind defines; anything else is refused, so that
/// one record has exactly one spelling and no byte of a bundle can change without changing its meaning.
/// </summary>
internal static class BundleCodec
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8 };

    /// <summary>The canonical bytes of a record line (no newline). Entries are written as they are, not through here.</summary>
    public static byte[] Encode(BundleRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("record", record.RecordName);
            switch (record)
            {
                case BundleHeader h:
                    writer.WriteString("kind", KindName(h.Kind));
                    writer.WriteString("origin", h.Origin);
                    switch (h.Kind)
                    {
                        case BundleKind.Full:
                            writer.WriteNumber("from", h.From);
                            writer.WriteNumber("to", h.To);
                            break;
                        case BundleKind.Stream:
                            writer.WriteString("stream", h.Stream);
                            break;
                        default:
                            writer.WriteString("execution", h.Execution);
                            break;
                    }

                    break;
                case BundleCheckpoint c:
                    writer.WriteString("checkpoint", c.SignedNote);
                    break;
                case BundleAttestation a:
                    writer.WriteString("attestation", a.Text);
                    break;
                case BundleConsistency c:
                    writer.WriteNumber("from", c.From);
                    writer.WriteNumber("to", c.To);
                    WriteHashes(writer, c.Hashes);
                    break;
                case BundleInclusion i:
                    writer.WriteNumber("index", i.Index);
                    writer.WriteNumber("treeSize", i.TreeSize);
                    WriteHashes(writer, i.Hashes);
                    break;
                case BundleFrontier f:
                    writer.WriteNumber("size", f.Size);
                    WriteHashes(writer, f.Hashes);
                    break;
                case BundleTrailer t:
                    writer.WriteNumber("checkpoints", t.Checkpoints);
                    writer.WriteNumber("entries", t.Entries);
                    writer.WriteNumber("lines", t.Lines);
                    break;
                default:
                    throw new ArgumentException($"A {record.GetType().Name} is not written as a record line.", nameof(record));
            }

            writer.WriteEndObject();
        }

        return JsonCanonicalizer.Canonicalize(buffer.WrittenSpan);
    }

    /// <summary>Reads a record line (not an entry line).</summary>
    /// <exception cref="FormatException">The line is not a well-formed record; the message says why.</exception>
    public static BundleRecord Decode(ReadOnlySpan<byte> line)
    {
        try
        {
            JsonCanonicalizer.EnsureCanonical(line);
        }
        catch (CanonicalJsonException e)
        {
            throw new NotARecordException("not a canonical JSON (RFC 8785) record: " + e.Message, e);
        }

        using var document = JsonDocument.Parse(line.ToArray(), DocumentOptions);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new NotARecordException("a record is a JSON object", null);
        }

        if (!root.TryGetProperty("record", out var name) || name.ValueKind != JsonValueKind.String)
        {
            throw new NotARecordException("a record line has a string member \"record\" naming its kind (an entry line starts with {\"data\":)", null);
        }

        return name.GetString() switch
        {
            "header" => DecodeHeader(root),
            "checkpoint" => Exactly(root, ["checkpoint", "record"], () => new BundleCheckpoint(NonEmptyString(root, "checkpoint"))),
            "attestation" => Exactly(root, ["attestation", "record"], () => new BundleAttestation(NonEmptyString(root, "attestation"))),
            "consistency" => Exactly(root, ["from", "hashes", "record", "to"], () =>
                new BundleConsistency(Integer(root, "from"), Integer(root, "to"), Hashes(root))),
            "inclusion" => Exactly(root, ["hashes", "index", "record", "treeSize"], () =>
                new BundleInclusion(Integer(root, "index"), Integer(root, "treeSize"), Hashes(root))),
            "frontier" => Exactly(root, ["hashes", "record", "size"], () =>
                new BundleFrontier(Integer(root, "size"), Hashes(root))),
            "trailer" => Exactly(root, ["checkpoints", "entries", "lines", "record"], () =>
                new BundleTrailer(Integer(root, "checkpoints"), Integer(root, "entries"), Integer(root, "lines"))),
            var other => throw new FormatException($"unknown record kind \"{other}\""),
        };
    }

    /// <summary>Reads the version line: the version number, or an exception saying why this is not a version line.</summary>
    public static int DecodeVersion(ReadOnlySpan<byte> line)
    {
        if (line.SequenceEqual(BundleFormat.VersionLine))
        {
            return BundleFormat.Version;
        }

        try
        {
            using var document = JsonDocument.Parse(line.ToArray(), DocumentOptions);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String
                && format.GetString() == BundleFormat.FormatName
                && root.TryGetProperty("version", out var version))
            {
                return version.TryGetInt32(out var number) && number != BundleFormat.Version
                    ? throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                        $"unknown bundle version {number}; this verifier reads version {BundleFormat.Version}"))
                    : throw new FormatException("the version line is not exactly {\"format\":\"ledger-bundle\",\"version\":1}");
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or not UTF-8: fall through to the general message.
        }

        throw new FormatException("not a ledger bundle: the first line must be {\"format\":\"ledger-bundle\",\"version\":1}");
    }

    /// <summary>The line is not a record at all (not canonical JSON, or without a <c>record</c> member): where an entry may stand, it is read as a damaged entry.</summary>
    internal sealed class NotARecordException(string message, Exception? inner) : FormatException(message, inner);

    private static BundleHeader DecodeHeader(JsonElement root)
    {
        var kind = NonEmptyString(root, "kind");
        var origin = NonEmptyString(root, "origin");
        return kind switch
        {
            "full" => Exactly(root, ["from", "kind", "origin", "record", "to"], () =>
            {
                var from = Integer(root, "from");
                var to = Integer(root, "to");
                return to < from
                    ? throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"the header's to ({to}) is below its from ({from})"))
                    : BundleHeader.Full(origin, from, to);
            }),
            "stream" => Exactly(root, ["kind", "origin", "record", "stream"], () => BundleHeader.ForStream(origin, NonEmptyString(root, "stream"))),
            "lineage" => Exactly(root, ["execution", "kind", "origin", "record"], () => BundleHeader.ForLineage(origin, NonEmptyString(root, "execution"))),
            _ => throw new FormatException($"unknown bundle kind \"{kind}\"; expected full, stream or lineage"),
        };
    }

    private static string KindName(BundleKind kind) => kind switch
    {
        BundleKind.Full => "full",
        BundleKind.Stream => "stream",
        BundleKind.Lineage => "lineage",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown bundle kind"),
    };

    private static void WriteHashes(Utf8JsonWriter writer, IReadOnlyList<byte[]> hashes)
    {
        writer.WriteStartArray("hashes");
        foreach (var hash in hashes)
        {
            if (hash is null || hash.Length != MerkleHash.Size)
            {
                throw new ArgumentException("Every proof and frontier hash has 32 bytes.", nameof(hashes));
            }

            writer.WriteBase64StringValue(hash);
        }

        writer.WriteEndArray();
    }

    private static T Exactly<T>(JsonElement root, string[] expected, Func<T> read)
    {
        var names = Members(root);
        if (!names.SequenceEqual(expected, StringComparer.Ordinal))
        {
            throw new FormatException(
                $"a {root.GetProperty("record").GetString()} record has exactly the members {string.Join(", ", expected)}; this one has {string.Join(", ", names)}");
        }

        return read();
    }

    private static List<string> Members(JsonElement root)
    {
        var names = new List<string>();
        foreach (var member in root.EnumerateObject())
        {
            names.Add(member.Name);
        }

        return names;
    }

    private static string NonEmptyString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            throw new FormatException($"member \"{name}\" must be a non-empty string");
        }

        return text;
    }

    private static long Integer(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number
            || !value.TryGetInt64(out var number) || number < 0 || number > BundleFormat.MaxInteger)
        {
            throw new FormatException($"member \"{name}\" must be an integer in [0, 2^53 - 1]");
        }

        return number;
    }

    private static byte[][] Hashes(JsonElement root)
    {
        var array = root.GetProperty("hashes");
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("member \"hashes\" must be an array");
        }

        var hashes = new byte[array.GetArrayLength()][];
        var i = 0;
        Span<byte> buffer = stackalloc byte[MerkleHash.Size + 3];
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String
                || item.GetString() is not { Length: 44 } text
                || !Convert.TryFromBase64String(text, buffer, out var written)
                || written != MerkleHash.Size
                || !string.Equals(Convert.ToBase64String(buffer[..MerkleHash.Size]), text, StringComparison.Ordinal))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                    $"hashes[{i}] is not the canonical base64 (RFC 4648 §4, padded, zero pad bits) of 32 bytes"));
            }

            hashes[i++] = buffer[..MerkleHash.Size].ToArray();
        }

        return hashes;
    }
}
