using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Federation;

/// <summary>
/// An execution attestation (DESIGN §8.2, docs/FORMAT.md §10): what a ledger serves to prove one execution's state to a
/// peer — its signed statement, the checkpoint (meeting its policy) the statement is made at, every entry of the
/// execution's stream below that checkpoint with its inclusion proof, and optionally a consistency proof from a size
/// the peer already holds. <see cref="AttestationVerifier"/> checks it.
/// </summary>
/// <remarks>
/// The text is lines ending in LF: the header, <c>statement</c>, <c>checkpoint</c>, one <c>entry</c> line per stream
/// entry in stream order, and an optional <c>consistency</c> line. Parsing is strict (one spelling per document);
/// <see cref="Format"/> writes exactly what <see cref="Parse"/> reads, and <see cref="Digest"/> names those bytes.
/// Immutable and thread-safe.
/// </remarks>
public sealed class ExecutionAttestation
{
    /// <summary>The first line.</summary>
    public const string Header = "execution-attestation@v1";

    /// <summary>The most proof hashes on one line (a tree of at most 2^63 − 1 leaves).</summary>
    public const int MaxProofHashes = 63;

    /// <summary>Creates an attestation.</summary>
    /// <exception cref="ArgumentException">No entry, or a proof longer than <see cref="MaxProofHashes"/>.</exception>
    public ExecutionAttestation(SignedNote statement, SignedNote checkpoint, IReadOnlyList<AttestedEntry> entries, long? consistencyFrom = null, IReadOnlyList<byte[]>? consistencyProof = null)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            throw new ArgumentException("An attestation holds at least one entry.", nameof(entries));
        }

        if (entries.Any(e => e.Proof.Count > MaxProofHashes) || (consistencyProof?.Count ?? 0) > MaxProofHashes)
        {
            throw new ArgumentException($"A proof has at most {MaxProofHashes} hashes.", nameof(entries));
        }

        Statement = statement;
        CheckpointNote = checkpoint;
        Entries = entries;
        ConsistencyFrom = consistencyFrom;
        ConsistencyProof = consistencyFrom is null ? [] : consistencyProof ?? [];
    }

    /// <summary>The serving ledger's signed statement (its text is an <see cref="AttestationStatement"/>).</summary>
    public SignedNote Statement { get; }

    /// <summary>The signed checkpoint, with its cosignatures.</summary>
    public SignedNote CheckpointNote { get; }

    /// <summary>The stream's entries below the checkpoint's size, in stream order.</summary>
    public IReadOnlyList<AttestedEntry> Entries { get; }

    /// <summary>The size a consistency proof starts from, or null.</summary>
    public long? ConsistencyFrom { get; }

    /// <summary>The consistency proof from <see cref="ConsistencyFrom"/> to the checkpoint's size (empty when absent).</summary>
    public IReadOnlyList<byte[]> ConsistencyProof { get; }

    /// <summary>The text (FORMAT §10.1).</summary>
    public string Format()
    {
        var text = new StringBuilder(Header).Append('\n');
        text.Append("statement ").Append(Convert.ToBase64String(Statement.ToBytes())).Append('\n');
        text.Append("checkpoint ").Append(Convert.ToBase64String(CheckpointNote.ToBytes())).Append('\n');
        foreach (var entry in Entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"entry {entry.Position} ").Append(Convert.ToBase64String(entry.Entry));
            foreach (var hash in entry.Proof)
            {
                text.Append(' ').Append(Convert.ToBase64String(hash));
            }

            text.Append('\n');
        }

        if (ConsistencyFrom is { } from)
        {
            text.Append(CultureInfo.InvariantCulture, $"consistency {from}");
            foreach (var hash in ConsistencyProof)
            {
                text.Append(' ').Append(Convert.ToBase64String(hash));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary><c>sha256:</c> and the lowercase hex SHA-256 of the UTF-8 bytes of <see cref="Format"/>.</summary>
    public string Digest() => DigestOf(Format());

    /// <summary>The digest of an attestation's text, as <see cref="Digest"/> computes it.</summary>
    public static string DigestOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <inheritdoc />
    public override string ToString() => Format();

    /// <summary>Parses the text.</summary>
    /// <exception cref="FormatException">It is not exactly the format; the message says where.</exception>
    public static ExecutionAttestation Parse(string text) =>
        TryParse(text, out var attestation, out var error) ? attestation : throw new FormatException(error);

    /// <summary>Parses the text; false and the reason when it is not exactly the format.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ExecutionAttestation? attestation, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        attestation = null;
        if (!text.EndsWith('\n'))
        {
            error = "the attestation does not end with a newline";
            return false;
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length < 4 || lines[0] != Header)
        {
            error = $"the attestation does not start with '{Header}', a statement, a checkpoint and an entry line";
            return false;
        }

        if (!Note(lines[1], "statement", out var statement, out var noteError) || !Note(lines[2], "checkpoint", out var checkpoint, out noteError))
        {
            error = noteError ?? "a note is malformed";
            return false;
        }

        var entries = new List<AttestedEntry>();
        long? from = null;
        IReadOnlyList<byte[]> consistency = [];
        for (var i = 3; i < lines.Length; i++)
        {
            var items = lines[i].Split(' ');
            var number = i + 1;
            if (items[0] == "entry" && from is null && items.Length >= 3 && items.Length <= 3 + MaxProofHashes)
            {
                if (!AttestationStatement.Decimal(items[1], out var position) || !Log.StrictBase64.TryDecode(items[2], out var entry)
                    || !Hashes(items.Skip(3), out var proof))
                {
                    error = $"line {number}: an entry line is 'entry <position> <base64 entry> <base64 hash>...'";
                    return false;
                }

                entries.Add(new AttestedEntry(position, entry, proof));
            }
            else if (items[0] == "consistency" && from is null && i == lines.Length - 1 && items.Length >= 2 && items.Length <= 2 + MaxProofHashes
                     && AttestationStatement.Decimal(items[1], out var size) && Hashes(items.Skip(2), out var hashes))
            {
                from = size;
                consistency = hashes;
            }
            else
            {
                error = $"line {number}: expected an 'entry' line (at most {MaxProofHashes} hashes) or, last, one 'consistency <size> <base64 hash>...' line";
                return false;
            }
        }

        if (entries.Count == 0)
        {
            error = "the attestation has no entry line";
            return false;
        }

        attestation = new ExecutionAttestation(statement!, checkpoint!, entries, from, consistency);
        if (attestation.Format() != text)
        {
            attestation = null;
            error = "the attestation is not written in its one canonical form";
            return false;
        }

        error = null;
        return true;
    }

    private static bool Note(string line, string key, out SignedNote? note, out string? error)
    {
        note = null;
        var prefix = key + " ";
        if (!line.StartsWith(prefix, StringComparison.Ordinal) || !Log.StrictBase64.TryDecode(line[prefix.Length..], out var bytes))
        {
            error = $"expected '{key} <base64 signed note>'";
            return false;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            error = $"the {key} note is not UTF-8";
            return false;
        }

        if (!SignedNote.TryParse(decoded, out note, out var noteError))
        {
            error = $"the {key} is not a signed note: {noteError}";
            return false;
        }

        error = null;
        return true;
    }

    private static bool Hashes(IEnumerable<string> items, out IReadOnlyList<byte[]> hashes)
    {
        var list = new List<byte[]>();
        hashes = list;
        foreach (var item in items)
        {
            if (!AttestationStatement.Hash(item, out var hash))
            {
                return false;
            }

            list.Add(hash);
        }

        return true;
    }
}
