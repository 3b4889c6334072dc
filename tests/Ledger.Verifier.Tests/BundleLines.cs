using System.Text;
using System.Text.Json;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;

namespace Ledger.Verifier.Tests;

/// <summary>A bundle as a list of lines, to tamper with.</summary>
internal sealed class BundleLines
{
    private BundleLines(List<byte[]> lines) => Lines = lines;

    public List<byte[]> Lines { get; }

    public static BundleLines Of(byte[] bundle)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < bundle.Length; i++)
        {
            if (bundle[i] == (byte)'\n')
            {
                lines.Add(bundle[start..i]);
                start = i + 1;
            }
        }

        return new BundleLines(lines);
    }

    public byte[] ToBytes()
    {
        using var output = new MemoryStream();
        foreach (var line in Lines)
        {
            output.Write(line);
            output.WriteByte((byte)'\n');
        }

        return output.ToArray();
    }

    public static bool IsEntry(byte[] line) => line.AsSpan().StartsWith("{\"data\":"u8);

    /// <summary>(line index, position) of every entry line.</summary>
    public IEnumerable<(int Index, long Position)> Entries() =>
        Lines.Select((line, i) => (line, i)).Where(x => IsEntry(x.line)).Select(x => (x.i, LedgerEntry.Parse(x.line).Position));

    public int IndexOfEntry(long position) => Entries().First(e => e.Position == position).Index;

    public LedgerEntry EntryAt(long position) => LedgerEntry.Parse(Lines[IndexOfEntry(position)]);

    /// <summary>(line index, tree size) of every checkpoint line.</summary>
    public IEnumerable<(int Index, long Size)> Checkpoints() =>
        Lines.Select((line, i) => (line, i)).Where(x => x.line.AsSpan().StartsWith("{\"checkpoint\":"u8))
            .Select(x => (x.i, Checkpoint.Parse(SignedNote.Parse(Note(x.line)).Text).Size));

    public static string Note(byte[] checkpointLine) =>
        JsonDocument.Parse(checkpointLine).RootElement.GetProperty("checkpoint").GetString()!;

    public static byte[] CheckpointLine(string note)
    {
        using var output = new MemoryStream();
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("checkpoint", note);
            writer.WriteString("record", "checkpoint");
            writer.WriteEndObject();
        }

        return Ledger.Domain.Canonical.JsonCanonicalizer.Canonicalize(output.ToArray());
    }

    public override string ToString() => string.Join("\n", Lines.Select(l => Encoding.UTF8.GetString(l)));
}
