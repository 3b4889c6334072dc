using System.Globalization;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Witnessing;

/// <summary>
/// The body of a c2sp.org/tlog-witness <c>add-checkpoint</c> request: an <c>old N</c> line, zero to
/// <see cref="MaxProofLines"/> base64 consistency proof lines, an empty line, and the signed checkpoint note.
/// </summary>
/// <remarks>
/// <para>Parsing checks the syntax only: every line ends in U+000A; <c>old</c>, one space, a decimal without leading
/// zeroes; each proof line canonical base64 (its length is the verifier's business, a 422, not a 400); the note
/// a signed note whose text is a checkpoint. Signatures are checked by the witness against the keys it trusts.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class AddCheckpointRequest
{
    /// <summary>The most consistency proof lines a client may send.</summary>
    public const int MaxProofLines = 63;

    private AddCheckpointRequest(long oldSize, IReadOnlyList<byte[]> proof, SignedNote note, Checkpoint checkpoint, string noteText)
    {
        OldSize = oldSize;
        Proof = proof;
        Note = note;
        Checkpoint = checkpoint;
        NoteText = noteText;
    }

    /// <summary>The size of the checkpoint the client believes the witness cosigned last (0 for none).</summary>
    public long OldSize { get; }

    /// <summary>The consistency proof hashes, in order.</summary>
    public IReadOnlyList<byte[]> Proof { get; }

    /// <summary>The submitted note.</summary>
    public SignedNote Note { get; }

    /// <summary>The checkpoint the note's text states.</summary>
    public Checkpoint Checkpoint { get; }

    /// <summary>The note exactly as submitted.</summary>
    public string NoteText { get; }

    /// <summary>Parses a request body (UTF-8).</summary>
    /// <exception cref="FormatException">The body is malformed; the message names the offending line.</exception>
    public static AddCheckpointRequest Parse(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var first = body.IndexOf('\n', StringComparison.Ordinal);
        if (first < 0)
        {
            throw new FormatException("The body has no old size line ending in a newline.");
        }

        var oldLine = body[..first];
        if (!oldLine.StartsWith("old ", StringComparison.Ordinal) || !Checkpoint.TryParseDecimal(oldLine[4..], out var oldSize))
        {
            throw new FormatException($"The first line must be 'old' and a decimal tree size without leading zeroes, not '{Shorten(oldLine)}'.");
        }

        var proof = new List<byte[]>();
        var at = first + 1;
        while (true)
        {
            var end = body.IndexOf('\n', at);
            if (end < 0)
            {
                throw new FormatException("The body has no empty line between the consistency proof and the checkpoint.");
            }

            var line = body[at..end];
            at = end + 1;
            if (line.Length == 0)
            {
                break;
            }

            if (proof.Count == MaxProofLines)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"The consistency proof has more than {MaxProofLines} lines."));
            }

            if (!StrictBase64.TryDecode(line, out var hash) || hash.Length == 0)
            {
                throw new FormatException(string.Create(
                    CultureInfo.InvariantCulture, $"Consistency proof line {proof.Count + 1} is not canonical base64: '{Shorten(line)}'."));
            }

            proof.Add(hash);
        }

        var noteText = body[at..];
        if (!SignedNote.TryParse(noteText, out var note, out var error))
        {
            throw new FormatException("The checkpoint is not a signed note: " + error);
        }

        if (!Checkpoint.TryParse(note.Text, out var checkpoint, out error))
        {
            throw new FormatException("The signed note is not a checkpoint: " + error);
        }

        return new AddCheckpointRequest(oldSize, proof, note, checkpoint, noteText);
    }

    /// <summary>Formats a request body (the client side, and tests).</summary>
    public static string Format(long oldSize, IEnumerable<byte[]> proof, string signedNote)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(oldSize);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(signedNote);
        var builder = new System.Text.StringBuilder().Append("old ").Append(oldSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var hash in proof)
        {
            builder.Append(Convert.ToBase64String(hash)).Append('\n');
        }

        return builder.Append('\n').Append(signedNote).ToString();
    }

    private static string Shorten(string line) => line.Length <= 80 ? line : line[..80] + "…";
}
