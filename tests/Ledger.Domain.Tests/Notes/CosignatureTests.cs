using System.Buffers.Binary;
using System.Text;
using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Tests.Notes;

public sealed class CosignatureTests
{
    private const string Checkpoint15 = "example.com/log/testdata\n15\nrKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=\n";

    [Fact]
    public void The_cosigned_message_is_header_time_line_and_checkpoint()
    {
        var message = CosignatureV1.BuildMessage(1679315147, Encoding.UTF8.GetBytes(Checkpoint15));

        Encoding.UTF8.GetString(message).ShouldBe("cosignature/v1\ntime 1679315147\n" + Checkpoint15);
    }

    [Fact]
    public void A_cosignature_signs_the_message_and_verifies_with_the_type_4_key()
    {
        var witnessSkey = NoteVectors.Item("skey_vkey_pairs", "transparency-dev/formats witness/witness_test.go wit1").Get("skey");
        using var plain = NoteSigner.ParseSkey(witnessSkey);
        using var cosigner = NoteSigner.CreateCosignatureV1(plain.Name, (Ed25519SigningKey)plain.Key, 1727964367);

        var note = SignedNote.Sign(Checkpoint15, cosigner);

        cosigner.SignatureType.ShouldBe(NoteSignatureType.CosignatureV1);
        cosigner.KeyId.ShouldNotBe(plain.KeyId);
        var signature = note.Signatures.ShouldHaveSingleItem();
        CosignatureV1.TryGetTimestamp(signature, out var timestamp).ShouldBeTrue();
        timestamp.ShouldBe(1727964367);
        var message = CosignatureV1.BuildMessage(1727964367, Encoding.UTF8.GetBytes(Checkpoint15));
        plain.Key.VerificationKey.Verify(message, signature.Signature[8..]).ShouldBeTrue();

        var verifier = NoteVerifier.Parse(cosigner.Verifier.VerifierKey);
        verifier.SignatureType.ShouldBe(NoteSignatureType.CosignatureV1);
        new NoteVerifierSet(verifier).Verify(note).IsVerified.ShouldBeTrue();
        new NoteVerifierSet(plain.Verifier).Verify(note).ShouldBeOfType<NoteCheck.NoKnownSignature>();
    }

    [Fact]
    public void A_cosignature_with_a_changed_timestamp_fails()
    {
        using var key = SigningKey.GenerateEd25519();
        using var cosigner = NoteSigner.CreateCosignatureV1("witness", key, 100);
        var signature = SignedNote.Sign(Checkpoint15, cosigner).Signatures[0].Signature.ToArray();
        BinaryPrimitives.WriteUInt64BigEndian(signature, 101);

        cosigner.Verifier.Verify(Encoding.UTF8.GetBytes(Checkpoint15), signature).ShouldBeFalse();
    }

    [Fact]
    public void A_cosignature_of_the_wrong_length_or_with_a_timestamp_past_2_63_fails()
    {
        using var key = SigningKey.GenerateEd25519();
        using var cosigner = NoteSigner.CreateCosignatureV1("witness", key, 100);
        var text = Encoding.UTF8.GetBytes(Checkpoint15);
        var signature = cosigner.Sign(text);
        var huge = (byte[])signature.Clone();
        BinaryPrimitives.WriteUInt64BigEndian(huge, ulong.MaxValue);

        cosigner.Verifier.Verify(text, signature).ShouldBeTrue();
        cosigner.Verifier.Verify(text, signature.AsSpan(0, signature.Length - 1)).ShouldBeFalse();
        cosigner.Verifier.Verify(text, huge).ShouldBeFalse();
        CosignatureV1.TryGetTimestamp(new NoteSignature("witness", 1, huge), out _).ShouldBeFalse();
        CosignatureV1.TryGetTimestamp(new NoteSignature("witness", 1, signature.AsSpan(0, 40)), out _).ShouldBeFalse();
    }

    [Fact]
    public void A_cosigned_text_needs_at_least_two_newlines()
    {
        using var key = SigningKey.GenerateEd25519();
        using var cosigner = NoteSigner.CreateCosignatureV1("witness", key, 100);

        Should.Throw<ArgumentException>(() => cosigner.Sign("one\n"u8));
        Should.Throw<ArgumentOutOfRangeException>(() => CosignatureV1.BuildMessage(-1, Encoding.UTF8.GetBytes(Checkpoint15)));
        Should.Throw<ArgumentOutOfRangeException>(() => NoteSigner.CreateCosignatureV1("witness", key, -1));
        cosigner.Verifier.Verify("one\n"u8, new byte[72]).ShouldBeFalse();
    }

    [Fact]
    public void A_cosigner_has_no_skey_of_its_own()
    {
        using var key = SigningKey.GenerateEd25519();
        using var cosigner = NoteSigner.CreateCosignatureV1("witness", key, 100);

        Should.Throw<InvalidOperationException>(cosigner.ExportSkey);
    }

    [Fact]
    public void A_log_checkpoint_cosigned_by_witnesses_verifies_with_log_and_witness_keys()
    {
        var log = NoteVectors.Root.GetProperty("tessera_testdata_log");
        var published = SignedNote.Parse(File.ReadAllText(Vectors.PathOf("tessera-testdata-log", "checkpoint")));
        using var wit1 = NoteSigner.ParseSkey(NoteVectors.Item("skey_vkey_pairs", "transparency-dev/formats witness/witness_test.go wit1").Get("skey"));
        using var wit2 = NoteSigner.ParseSkey(NoteVectors.Item("skey_vkey_pairs", "transparency-dev/formats witness/witness_test.go wit2").Get("skey"));
        using var cosigner1 = NoteSigner.CreateCosignatureV1(wit1.Name, (Ed25519SigningKey)wit1.Key, 1700000000);
        using var cosigner2 = NoteSigner.CreateCosignatureV1(wit2.Name, (Ed25519SigningKey)wit2.Key, 1700000001);

        var cosigned = published.AddSignatures(cosigner1, cosigner2);
        var trusted = new NoteVerifierSet(NoteVerifier.Parse(log.Get("vkey")), cosigner1.Verifier, cosigner2.Verifier);

        var verified = trusted.Open(cosigned.Format()).ShouldBeOfType<NoteCheck.Verified>();
        verified.VerifiedSignatures.Count.ShouldBe(3);
        verified.Note.Signatures[0].ShouldBe(published.Signatures[0]);
    }
}
