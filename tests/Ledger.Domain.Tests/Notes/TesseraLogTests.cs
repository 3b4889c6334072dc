using System.Buffers.Binary;
using System.Text;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Tests.Notes;

/// <summary>The tessera test log (tests/vectors/tessera-testdata-log): 15 entries, tiles and 16 signed checkpoints.</summary>
public sealed class TesseraLogTests
{
    private const int Entries = 15;

    private static readonly string[] ExpectedEntries =
        [.. NoteVectors.Root.GetProperty("tessera_testdata_log").GetProperty("entries").EnumerateArray().Select(e => e.GetString()!)];

    private static NoteVerifierSet Trusted => new(NoteVerifier.Parse(NoteVectors.Root.GetProperty("tessera_testdata_log").Get("vkey")));

    public static TheoryData<string> CheckpointFiles =>
        new(Enumerable.Range(0, Entries + 1).Select(n => "checkpoint." + n).Append("checkpoint"));

    public static TheoryData<int> Widths => new(Enumerable.Range(1, Entries));

    [Theory]
    [MemberData(nameof(CheckpointFiles))]
    public void Every_checkpoint_verifies_with_the_log_vkey(string file)
    {
        var text = File.ReadAllText(Vectors.PathOf("tessera-testdata-log", file));

        var verified = Trusted.Open(text).ShouldBeOfType<NoteCheck.Verified>();

        var checkpoint = Checkpoint.Parse(verified.Note.Text);
        checkpoint.Origin.ShouldBe("example.com/log/testdata");
        checkpoint.Size.ShouldBe(file == "checkpoint" ? Entries : int.Parse(file["checkpoint.".Length..], System.Globalization.CultureInfo.InvariantCulture));
        checkpoint.ToText().ShouldBe(verified.Note.Text);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void An_entry_bundle_holds_the_first_entries_length_prefixed(int width)
    {
        var bundle = ReadEntryBundle(width);

        bundle.Select(e => Encoding.UTF8.GetString(e)).ShouldBe(ExpectedEntries.Take(width));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void A_partial_level_0_tile_holds_the_leaf_hashes_of_the_entries(int width)
    {
        var tile = File.ReadAllBytes(Vectors.PathOf("tessera-testdata-log", "tile", "0", "000.p", width.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var entries = ReadEntryBundle(width);

        tile.Length.ShouldBe(width * MerkleHash.Size);
        for (var i = 0; i < width; i++)
        {
            tile.AsSpan(i * MerkleHash.Size, MerkleHash.Size).ToArray().ShouldBe(MerkleHash.HashLeaf(entries[i]), $"leaf {i}");
        }
    }

    [Fact]
    public void The_root_recomputed_at_every_size_matches_the_signed_checkpoint()
    {
        var tree = BuildTree();

        CheckpointAt(0).RootHash.ToArray().ShouldBe(MerkleHash.EmptyRoot());
        for (var size = 1; size <= Entries; size++)
        {
            CheckpointAt(size).RootHash.ToArray().ShouldBe(tree.Root(size), $"size {size}");
        }
    }

    [Fact]
    public void Every_pair_of_checkpoints_is_consistent()
    {
        var tree = BuildTree();
        for (var size1 = 1; size1 <= Entries; size1++)
        {
            for (var size2 = size1; size2 <= Entries; size2++)
            {
                var proof = tree.ConsistencyProof(size1, size2);
                var check = MerkleVerifier.VerifyConsistency(size1, size2, proof, CheckpointAt(size1).RootHash.Span, CheckpointAt(size2).RootHash.Span);
                check.IsValid.ShouldBeTrue($"{size1} -> {size2}: {check}");
            }
        }
    }

    [Fact]
    public void A_checkpoint_with_another_root_is_not_consistent()
    {
        var tree = BuildTree();
        var proof = tree.ConsistencyProof(7, 15);

        var check = MerkleVerifier.VerifyConsistency(7, 15, proof, CheckpointAt(8).RootHash.Span, CheckpointAt(15).RootHash.Span);

        check.IsValid.ShouldBeFalse();
    }

    [Fact]
    public void A_receipt_for_every_entry_under_every_checkpoint_verifies_and_round_trips()
    {
        var tree = BuildTree();
        var entries = ReadEntryBundle(Entries);
        for (var size = 1; size <= Entries; size++)
        {
            var note = SignedNote.Parse(File.ReadAllText(Vectors.PathOf("tessera-testdata-log", "checkpoint." + size)));
            for (var index = 0; index < size; index++)
            {
                var receipt = TlogProof.ForEntry(index, tree.InclusionProof(index, size), note, entries[index]);
                var parsed = TlogProof.Parse(receipt.Format());

                parsed.Format().ShouldBe(receipt.Format());
                var verified = parsed.Verify(Trusted, "example.com/log/testdata").ShouldBeOfType<TlogProofCheck.Verified>();
                verified.Index.ShouldBe(index);
                verified.LeafHash.ShouldBe(MerkleHash.HashLeaf(entries[index]));
            }
        }
    }

    internal static Checkpoint CheckpointAt(int size) =>
        Checkpoint.Parse(SignedNote.Parse(File.ReadAllText(Vectors.PathOf("tessera-testdata-log", "checkpoint." + size))).Text);

    internal static MerkleTree BuildTree()
    {
        var tree = new MerkleTree();
        foreach (var entry in ReadEntryBundle(Entries))
        {
            tree.AppendEntry(entry);
        }

        return tree;
    }

    /// <summary>A tlog-tiles entry bundle: each entry as a big-endian uint16 length and that many bytes.</summary>
    internal static List<byte[]> ReadEntryBundle(int width)
    {
        var bytes = File.ReadAllBytes(Vectors.PathOf("tessera-testdata-log", "tile", "entries", "000.p", width.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var entries = new List<byte[]>();
        var offset = 0;
        while (offset < bytes.Length)
        {
            bytes.Length.ShouldBeGreaterThanOrEqualTo(offset + 2, "truncated length prefix");
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(offset));
            bytes.Length.ShouldBeGreaterThanOrEqualTo(offset + 2 + length, "truncated entry");
            entries.Add(bytes.AsSpan(offset + 2, length).ToArray());
            offset += 2 + length;
        }

        entries.Count.ShouldBe(width);
        return entries;
    }
}
