using System.Text;
using Ledger.Domain.Crypto;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;
using Ledger.Domain.Tests.Log;

namespace Ledger.Domain.Tests.Notes;

public sealed class LedgerReceiptTests : IDisposable
{
    private readonly NoteSigner _ledger = NoteSigner.Create(SampleEntries.Origin, SigningKey.GenerateEd25519());

    public void Dispose() => _ledger.Key.Dispose();

    private NoteVerifierSet Trusted => new(_ledger.Verifier);

    private static LedgerEntry Entry(long position, string origin = SampleEntries.Origin) =>
        new(origin, position, SampleEntries.RecordedAt, 1, SampleEntries.MinimalStatement with { EventId = "evt-" + position }, null, null);

    private TlogProof Receipt(byte[][] entries, int index)
    {
        var tree = new MerkleTree();
        foreach (var entry in entries)
        {
            tree.AppendEntry(entry);
        }

        var note = new Checkpoint(SampleEntries.Origin, tree.Size, tree.Root()).Sign(_ledger);
        return TlogProof.ForEntry(index, tree.InclusionProof(index, tree.Size), note, entries[index]);
    }

    [Fact]
    public void A_ledger_receipt_verifies_its_entry_origin_and_position()
    {
        byte[][] entries = [.. Enumerable.Range(0, 5).Select(i => Entry(i).ToCanonicalBytes())];

        var receipt = TlogProof.Parse(Receipt(entries, 3).Format());

        receipt.VerifyLedgerEntry(Trusted, SampleEntries.Origin).ShouldBeOfType<TlogProofCheck.Verified>().Index.ShouldBe(3);
        LedgerEntry.Parse(receipt.Extra!.Value.Span).Position.ShouldBe(3);
    }

    [Fact]
    public void An_entry_recorded_at_another_position_is_a_mismatch()
    {
        byte[][] entries = [Entry(0).ToCanonicalBytes(), Entry(7).ToCanonicalBytes()];

        var check = Receipt(entries, 1).VerifyLedgerEntry(Trusted, SampleEntries.Origin);

        check.ShouldBeOfType<TlogProofCheck.EntryMismatch>().Reason.ShouldContain("position 7");
        check.Code.ShouldBe("receipt-entry-mismatch");
    }

    [Fact]
    public void An_entry_of_another_ledger_is_a_mismatch()
    {
        byte[][] entries = [Entry(0, "other.example/log").ToCanonicalBytes()];

        Receipt(entries, 0).VerifyLedgerEntry(Trusted, SampleEntries.Origin)
            .ShouldBeOfType<TlogProofCheck.EntryMismatch>().Reason.ShouldContain("other.example/log");
    }

    [Fact]
    public void Bytes_that_are_no_ledger_entry_are_a_mismatch()
    {
        byte[][] entries = [Encoding.UTF8.GetBytes("{\"not\":\"an entry\"}")];

        Receipt(entries, 0).VerifyLedgerEntry(Trusted, SampleEntries.Origin)
            .ShouldBeOfType<TlogProofCheck.EntryMismatch>().Reason.ShouldContain("not a canonical ledger entry");
    }

    [Fact]
    public void A_ledger_receipt_that_fails_the_proof_reports_that_first()
    {
        byte[][] entries = [Entry(0).ToCanonicalBytes()];
        var receipt = Receipt(entries, 0);
        var withoutEntry = new TlogProof(receipt.Index, receipt.InclusionProof, receipt.CheckpointNote);

        receipt.VerifyLedgerEntry(Trusted, "other.example/log").ShouldBeOfType<TlogProofCheck.OriginMismatch>();
        withoutEntry.VerifyLedgerEntry(Trusted, SampleEntries.Origin).ShouldBeOfType<TlogProofCheck.NoEntry>();
    }

    [Fact]
    public void The_receipt_example_in_the_format_document_verifies()
    {
        const string Example = """
            c2sp.org/tlog-proof@v1
            extra dGhyZWU=
            index 2
            9xWrP6pdBx5uKsS7mU1b9zWUPcw3mdoNCF55gM+5M2o=
            T1X2GdkhUjV3iyufF9b0kVsWFxIU0VI4EpNml2Teci4=
            zMKa4OAqd7D0V4wawXST15z0JiEEkprIBPkfxOesWvA=

            example.com/log/testdata
            5
            gy5gl3aksFyiCO95a/1vLXz88A3dRq+0l9Sxte8ZqZQ=

            — example.com/log/testdata M9e0lmn5eDHyHP10zJObZdFAX2y1V8fdDKBi4IiHbDYf1TCUBwxZOhqwv2QZCqrdda2zTRTrmnwjwscN5RBTEmZUYAs=

            """;
        var trusted = new NoteVerifierSet(NoteVerifier.Parse("example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx"));

        var check = TlogProof.Open(Example.ReplaceLineEndings("\n"), trusted, "example.com/log/testdata");

        check.ShouldBeOfType<TlogProofCheck.Verified>().LeafHash.ShouldBe(MerkleHash.HashLeaf("three"u8));
    }

    [Fact]
    public void A_p256_key_encodes_as_the_documented_91_byte_spki()
    {
        using var key = SigningKey.GenerateEcdsaP256();

        var spki = key.VerificationKey.ExportPublicKey();

        spki.Length.ShouldBe(91);
        Convert.ToHexStringLower(spki[..27]).ShouldBe("3059301306072a8648ce3d020106082a8648ce3d030107034200" + "04");
    }
}
