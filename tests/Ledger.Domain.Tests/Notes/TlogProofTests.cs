using System.Text;
using Ledger.Domain.Crypto;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Tests.Notes;

public sealed class TlogProofTests : IDisposable
{
    private const string Origin = "ledger.example/log";

    private readonly NoteSigner _log = NoteSigner.Create(Origin, SigningKey.GenerateEcdsaP256());
    private readonly MerkleTree _tree = new();
    private readonly List<byte[]> _entries = [];

    public TlogProofTests()
    {
        for (var i = 0; i < 11; i++)
        {
            var entry = Encoding.UTF8.GetBytes($"{{\"position\":{i}}}");
            _entries.Add(entry);
            _tree.AppendEntry(entry);
        }
    }

    private NoteVerifierSet Trusted => new(_log.Verifier);

    public void Dispose() => _log.Key.Dispose();

    private SignedNote SignedCheckpoint(long size) => new Checkpoint(Origin, size, _tree.Root(size)).Sign(_log);

    private TlogProof Receipt(int index, int size = 11) =>
        TlogProof.ForEntry(index, _tree.InclusionProof(index, size), SignedCheckpoint(size), _entries[index]);

    [Fact]
    public void A_receipt_has_header_extra_index_hashes_blank_line_and_the_note()
    {
        var receipt = Receipt(5);
        var hashes = _tree.InclusionProof(5, 11).Select(Convert.ToBase64String);

        var expected = "c2sp.org/tlog-proof@v1\n"
            + "extra " + Convert.ToBase64String(_entries[5]) + "\n"
            + "index 5\n"
            + string.Concat(hashes.Select(h => h + "\n"))
            + "\n"
            + receipt.CheckpointNote.Format();
        receipt.Format().ShouldBe(expected);
        receipt.ToString().ShouldBe(expected);
    }

    [Fact]
    public void A_receipt_round_trips_and_verifies_from_its_own_extra_data()
    {
        var text = Receipt(3).Format();

        var parsed = TlogProof.Parse(text);

        parsed.Index.ShouldBe(3);
        parsed.Extra!.Value.ToArray().ShouldBe(_entries[3]);
        parsed.InclusionProof.Count.ShouldBe(4);
        parsed.Checkpoint.Size.ShouldBe(11);
        TlogProof.Open(text, Trusted, Origin).ShouldBeOfType<TlogProofCheck.Verified>().Code.ShouldBe("ok");
    }

    [Fact]
    public void A_proof_without_extra_data_verifies_against_the_entry_given()
    {
        var proof = new TlogProof(0, _tree.InclusionProof(0, 1), SignedCheckpoint(1));

        var text = proof.Format();

        text.ShouldStartWith("c2sp.org/tlog-proof@v1\nindex 0\n\n");
        TlogProof.Parse(text).Extra.HasValue.ShouldBeFalse();
        proof.Verify(Trusted, _entries[0]).IsVerified.ShouldBeTrue();
        proof.Verify(Trusted).ShouldBeOfType<TlogProofCheck.NoEntry>().Code.ShouldBe("receipt-no-entry");
    }

    [Fact]
    public void A_receipt_for_another_entry_fails_inclusion_with_evidence()
    {
        var receipt = Receipt(4);

        var check = receipt.Verify(Trusted, _entries[5]);

        var failed = check.ShouldBeOfType<TlogProofCheck.InclusionFailed>();
        failed.Code.ShouldBe("receipt-inclusion-failed");
        failed.Failure.Code.ShouldBe(MerkleFailureCode.RootMismatch);
        failed.Failure.Index.ShouldBe(4);
        failed.LeafHash.ShouldBe(MerkleHash.HashLeaf(_entries[5]));
    }

    [Fact]
    public void A_receipt_whose_index_is_outside_the_checkpoint_fails_inclusion()
    {
        var proof = new TlogProof(11, _tree.InclusionProof(10, 11), SignedCheckpoint(11), _entries[10]);

        proof.Verify(Trusted).ShouldBeOfType<TlogProofCheck.InclusionFailed>().Failure.Code.ShouldBe(MerkleFailureCode.IndexOutOfRange);
    }

    [Fact]
    public void A_receipt_with_a_truncated_proof_fails_inclusion()
    {
        var proof = new TlogProof(4, _tree.InclusionProof(4, 11).Skip(1), SignedCheckpoint(11), _entries[4]);

        proof.Verify(Trusted).ShouldBeOfType<TlogProofCheck.InclusionFailed>().Failure.Code.ShouldBe(MerkleFailureCode.ProofSize);
    }

    [Fact]
    public void A_receipt_signed_by_an_untrusted_key_is_rejected()
    {
        using var other = NoteSigner.Create(Origin, SigningKey.GenerateEcdsaP256());

        var check = Receipt(2).Verify(new NoteVerifierSet(other.Verifier));

        check.ShouldBeOfType<TlogProofCheck.CheckpointRejected>().Note.ShouldBeOfType<NoteCheck.NoKnownSignature>();
        check.Code.ShouldBe("receipt-checkpoint-rejected");
        other.Key.Dispose();
    }

    [Fact]
    public void A_receipt_with_a_forged_checkpoint_is_rejected()
    {
        var text = Receipt(2).Format();
        var root = Convert.ToBase64String(_tree.Root(11));
        var forged = text.Replace(root, Convert.ToBase64String(_tree.Root(10)), StringComparison.Ordinal);

        TlogProof.Open(forged, Trusted).ShouldBeOfType<TlogProofCheck.CheckpointRejected>().Note.ShouldBeOfType<NoteCheck.InvalidSignature>();
    }

    [Fact]
    public void A_receipt_of_another_origin_is_rejected()
    {
        TlogProof.Open(Receipt(1).Format(), Trusted, "other.example/log")
            .ShouldBeOfType<TlogProofCheck.OriginMismatch>()
            .ShouldBe(new TlogProofCheck.OriginMismatch("other.example/log", Origin));
    }

    public static TheoryData<string, string> MalformedReceipts
    {
        get
        {
            const string Note = "o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— o AAAAAAA=\n";
            const string Hash = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
            return new TheoryData<string, string>
            {
                { "", "starts with" },
                { "c2sp.org/tlog-proof@v2\nindex 0\n\n" + Note, "starts with" },
                { "c2sp.org/tlog-proof@v1", "starts with" },
                { "c2sp.org/tlog-proof@v1\nextra ***\nindex 0\n\n" + Note, "extra line" },
                { "c2sp.org/tlog-proof@v1\nextra \nindex 0\n\n" + Note, "extra line" },
                { "c2sp.org/tlog-proof@v1\n", "index N" },
                { "c2sp.org/tlog-proof@v1\nindex 01\n\n" + Note, "index N" },
                { "c2sp.org/tlog-proof@v1\nindex -1\n\n" + Note, "index N" },
                { "c2sp.org/tlog-proof@v1\nindex x\n\n" + Note, "index N" },
                { "c2sp.org/tlog-proof@v1\nindex  1\n\n" + Note, "index N" },
                { "c2sp.org/tlog-proof@v1\nextra AAAA\n\n" + Note, "index N" },
                { "c2sp.org/tlog-proof@v1\nindex 0\nAAAA\n\n" + Note, "Proof hash 1" },
                { "c2sp.org/tlog-proof@v1\nindex 0\n" + Hash + "not base64\n\n" + Note, "Proof hash 2" },
                { "c2sp.org/tlog-proof@v1\nindex 0\n" + Hash, "no empty line" },
                { "c2sp.org/tlog-proof@v1\nindex 0\n" + string.Concat(Enumerable.Repeat(Hash, 64)) + "\n" + Note, "more than 63" },
                { "c2sp.org/tlog-proof@v1\nindex 0\n\nno signatures\n", "blank line" },
                { "c2sp.org/tlog-proof@v1\nindex 0\n\ntwo\nlines\n\n— o AAAAAAA=\n", "not a checkpoint" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(MalformedReceipts))]
    public void A_malformed_receipt_is_rejected_with_its_reason(string text, string reason)
    {
        Should.Throw<FormatException>(() => TlogProof.Parse(text)).Message.ShouldContain(reason);

        TlogProof.TryParse(text, out var proof, out var error).ShouldBeFalse();
        proof.ShouldBeNull();
        error.ShouldContain(reason);
        TlogProof.Open(text, Trusted).ShouldBeOfType<TlogProofCheck.Malformed>().Code.ShouldBe("receipt-malformed");
    }

    [Fact]
    public void Constructing_a_proof_validates_its_parts()
    {
        var note = SignedCheckpoint(11);
        var notACheckpoint = SignedNote.Sign("hello\n", _log);

        Should.Throw<ArgumentOutOfRangeException>(() => new TlogProof(-1, [], note));
        Should.Throw<ArgumentException>(() => new TlogProof(0, [new byte[31]], note));
        Should.Throw<ArgumentException>(() => new TlogProof(0, Enumerable.Repeat(new byte[32], 64), note));
        Should.Throw<ArgumentException>(() => new TlogProof(0, [], notACheckpoint));
        Should.Throw<ArgumentException>(() => new TlogProof(0, [], note, []));
    }

    [Fact]
    public void A_proof_keeps_copies_of_its_hashes_and_extra_data()
    {
        var hashes = _tree.InclusionProof(0, 11).Select(h => (byte[])h.Clone()).ToList();
        var extra = (byte[])_entries[0].Clone();
        var proof = new TlogProof(0, hashes, SignedCheckpoint(11), extra);

        hashes[0][0] ^= 1;
        extra[0] ^= 1;
        proof.InclusionProof[0][0] ^= 1;

        proof.Verify(Trusted).IsVerified.ShouldBeTrue();
    }

    [Fact]
    public void A_receipt_cosigned_by_a_witness_verifies_with_log_and_witness_keys()
    {
        using var witnessKey = SigningKey.GenerateEd25519();
        using var witness = NoteSigner.CreateCosignatureV1("witness.example/w1", witnessKey, 1_700_000_000);
        var cosigned = SignedCheckpoint(11).AddSignatures(witness);
        var receipt = TlogProof.ForEntry(7, _tree.InclusionProof(7, 11), cosigned, _entries[7]);

        var verified = TlogProof.Open(receipt.Format(), new NoteVerifierSet(_log.Verifier, witness.Verifier), Origin)
            .ShouldBeOfType<TlogProofCheck.Verified>();

        verified.Signatures.VerifiedSignatures.Count.ShouldBe(2);
    }
}
