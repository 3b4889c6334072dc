using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Federation;

/// <summary>
/// The line grammar shared by the attestation documents (docs/FORMAT.md §10.1, §10.6): a header line, a
/// <c>statement</c> and a <c>checkpoint</c> line (base64 signed notes), one <c>entry</c> line per stream entry and an
/// optional, last, <c>consistency</c> line. Only the header differs between an execution's and <c>$governance</c>'s.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class AttestationText
{
    /// <summary>The most proof hashes on one line (a tree of at most 2^63 − 1 leaves).</summary>
    public const int MaxProofHashes = 63;

    /// <summary>What a document's lines hold.</summary>
    public sealed record Parts(SignedNote Statement, SignedNote Checkpoint, IReadOnlyList<AttestedEntry> Entries, long? ConsistencyFrom, IReadOnlyList<byte[]> ConsistencyProof);

    /// <summary>Checks the parts a document is made of.</summary>
    /// <exception cref="ArgumentException">No entry, or a proof longer than <see cref="MaxProofHashes"/>.</exception>
    public static void Check(SignedNote statement, SignedNote checkpoint, IReadOnlyList<AttestedEntry> entries, IReadOnlyList<byte[]>? consistencyProof)
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
    }

    /// <summary>The text of a document.</summary>
    public static string Format(string header, Parts parts)
    {
        var text = new StringBuilder(header).Append('\n');
        text.Append("statement ").Append(Convert.ToBase64String(parts.Statement.ToBytes())).Append('\n');
        text.Append("checkpoint ").Append(Convert.ToBase64String(parts.Checkpoint.ToBytes())).Append('\n');
        foreach (var entry in parts.Entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"entry {entry.Position} ").Append(Convert.ToBase64String(entry.Entry));
            foreach (var hash in entry.Proof)
            {
                text.Append(' ').Append(Convert.ToBase64String(hash));
            }

            text.Append('\n');
        }

        if (parts.ConsistencyFrom is { } from)
        {
            text.Append(CultureInfo.InvariantCulture, $"consistency {from}");
            foreach (var hash in parts.ConsistencyProof)
            {
                text.Append(' ').Append(Convert.ToBase64String(hash));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Parses a document with first line <paramref name="header"/>; false and the reason when it is not exactly the format.</summary>
    public static bool TryParse(string text, string header, [NotNullWhen(true)] out Parts? parts, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        parts = null;
        if (!text.EndsWith('\n'))
        {
            error = "the attestation does not end with a newline";
            return false;
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length < 4 || lines[0] != header)
        {
            error = $"the attestation does not start with '{header}', a statement, a checkpoint and an entry line";
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

        var parsed = new Parts(statement!, checkpoint!, entries, from, consistency);
        if (Format(header, parsed) != text)
        {
            error = "the attestation is not written in its one canonical form";
            return false;
        }

        parts = parsed;
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
