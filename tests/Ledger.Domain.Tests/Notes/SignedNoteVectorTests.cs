using System.Text;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Tests.Notes;

public sealed class SignedNoteVectorTests
{
    public static TheoryData<string> Ed25519Notes => NoteVectors.Ids("ed25519_notes");

    public static TheoryData<string> EcdsaNotes => NoteVectors.Ids("ecdsa_notes");

    public static TheoryData<string> KeyPairs => NoteVectors.Ids("skey_vkey_pairs");

    public static TheoryData<string, string> AllNotes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var array in new[] { "ed25519_notes", "ecdsa_notes" })
            {
                foreach (var id in NoteVectors.Ids(array))
                {
                    data.Add(array, id);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(AllNotes))]
    public void Every_vector_note_verifies_with_its_vkey(string array, string id)
    {
        var item = NoteVectors.Item(array, id);
        var verifier = NoteVerifier.Parse(item.Get("vkey"));

        var check = new NoteVerifierSet(verifier).Open(item.Get("note"));

        var verified = check.ShouldBeOfType<NoteCheck.Verified>();
        verified.Code.ShouldBe("ok");
        verified.VerifiedSignatures.ShouldHaveSingleItem().Name.ShouldBe(verifier.Name);
        verified.Note.Format().ShouldBe(item.Get("note"));
    }

    [Theory]
    [MemberData(nameof(AllNotes))]
    public void A_vector_vkey_round_trips_to_the_same_text(string array, string id)
    {
        var vkey = NoteVectors.Item(array, id).Get("vkey");

        NoteVerifier.Parse(vkey).VerifierKey.ShouldBe(vkey);
    }

    [Theory]
    [MemberData(nameof(AllNotes))]
    public void A_flipped_byte_in_the_signature_is_an_invalid_signature(string array, string id)
    {
        var item = NoteVectors.Item(array, id);
        var verifier = NoteVerifier.Parse(item.Get("vkey"));
        var note = SignedNote.Parse(item.Get("note"));
        var original = note.Signatures.First(s => s.Name == verifier.Name && s.KeyId == verifier.KeyId);
        var bytes = original.Signature.ToArray();
        bytes[^1] ^= 0x01;
        var tampered = note.Format().Replace(original.Line, new NoteSignature(original.Name, original.KeyId, bytes).Line, StringComparison.Ordinal);

        var check = new NoteVerifierSet(verifier).Open(tampered);

        var invalid = check.ShouldBeOfType<NoteCheck.InvalidSignature>();
        invalid.Code.ShouldBe("note-invalid-signature");
        invalid.KeyName.ShouldBe(verifier.Name);
        invalid.KeyId.ShouldBe(verifier.KeyId);
    }

    [Theory]
    [MemberData(nameof(AllNotes))]
    public void A_flipped_byte_in_the_text_is_an_invalid_signature(string array, string id)
    {
        var item = NoteVectors.Item(array, id);
        var verifier = NoteVerifier.Parse(item.Get("vkey"));
        var bytes = Encoding.UTF8.GetBytes(item.Get("note"));
        bytes[0] ^= 0x01;

        new NoteVerifierSet(verifier).Open(bytes).ShouldBeOfType<NoteCheck.InvalidSignature>();
    }

    [Theory]
    [MemberData(nameof(AllNotes))]
    public void A_note_signed_only_by_unknown_keys_is_not_verified(string array, string id)
    {
        var item = NoteVectors.Item(array, id);
        var stranger = NoteVerifier.Parse(NoteVectors.Item("skey_vkey_pairs", "transparency-dev/formats log/note_test.go unknown").Get("vkey"));

        var check = new NoteVerifierSet(stranger).Open(item.Get("note"));

        check.ShouldBeOfType<NoteCheck.NoKnownSignature>().Code.ShouldBe("note-no-known-signature");
        check.IsVerified.ShouldBeFalse();
    }

    [Fact]
    public void A_signature_by_an_unknown_key_is_ignored_beside_a_known_one()
    {
        var item = NoteVectors.Item("ed25519_notes", "golang-mod-EnochRoot");
        var enoch = NoteVerifier.Parse(item.Get("vkey"));

        var verified = new NoteVerifierSet(enoch).Open(item.Get("note")).ShouldBeOfType<NoteCheck.Verified>();

        verified.VerifiedSignatures.ShouldHaveSingleItem().Name.ShouldBe("EnochRoot");
        verified.UnverifiedSignatures.ShouldHaveSingleItem().Name.ShouldBe("PeterNeumann");
    }

    [Fact]
    public void A_key_sharing_only_the_name_of_a_signature_does_not_verify_it()
    {
        var item = NoteVectors.Item("ed25519_notes", "golang-mod-PeterNeumann");
        using var impostor = NoteSigner.Create("PeterNeumann", Ledger.Domain.Crypto.SigningKey.GenerateEd25519());

        new NoteVerifierSet(impostor.Verifier).Open(item.Get("note")).ShouldBeOfType<NoteCheck.NoKnownSignature>();
    }

    [Fact]
    public void Both_known_signatures_of_a_doubly_signed_note_verify()
    {
        var item = NoteVectors.Item("ed25519_notes", "golang-mod-EnochRoot");
        var peter = NoteVerifier.Parse(NoteVectors.Item("ed25519_notes", "golang-mod-PeterNeumann").Get("vkey"));
        var enoch = NoteVerifier.Parse(item.Get("vkey"));

        var verified = new NoteVerifierSet(peter, enoch).Open(item.Get("note")).ShouldBeOfType<NoteCheck.Verified>();

        verified.VerifiedSignatures.Select(s => s.Name).ShouldBe(["PeterNeumann", "EnochRoot"]);
        verified.UnverifiedSignatures.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(KeyPairs))]
    public void A_skey_derives_its_vkey_and_its_signatures_verify(string id)
    {
        var item = NoteVectors.Item("skey_vkey_pairs", id);
        using var signer = NoteSigner.ParseSkey(item.Get("skey"));

        signer.Verifier.VerifierKey.ShouldBe(item.Get("vkey"));
        signer.ExportSkey().ShouldBe(item.Get("skey"));
        var note = SignedNote.Sign("a text\nof two lines\n", signer);
        new NoteVerifierSet(NoteVerifier.Parse(item.Get("vkey"))).Verify(note).IsVerified.ShouldBeTrue();
    }

    [Fact]
    public void Signing_with_the_published_test_skey_reproduces_the_published_note()
    {
        var item = NoteVectors.Item("ed25519_notes", "golang-mod-PeterNeumann");
        using var signer = NoteSigner.ParseSkey(item.Get("skey"));
        var published = SignedNote.Parse(item.Get("note"));

        var note = SignedNote.Sign(published.Text, signer);

        note.Format().ShouldBe(item.Get("note"));
        signer.Verifier.VerifierKey.ShouldBe(item.Get("vkey"));
    }

    [Fact]
    public void The_tessera_test_skey_derives_the_tessera_vkey()
    {
        var log = NoteVectors.Root.GetProperty("tessera_testdata_log");
        using var signer = NoteSigner.ParseSkey(log.Get("skey"));

        signer.Verifier.VerifierKey.ShouldBe(log.Get("vkey"));
        signer.Name.ShouldBe(log.Get("origin"));
    }

    [Fact]
    public void The_rfc6962_note_is_ignored_as_unknown_by_other_keys()
    {
        var item = NoteVectors.Item("rfc6962_notes", "rome.ct.filippo.io/2024h1-static-ct-checkpoint");
        var unrelated = NoteVerifier.Parse(NoteVectors.Item("ed25519_notes", "c2sp-signed-note-example").Get("vkey"));

        var check = new NoteVerifierSet(unrelated).Open(item.Get("note"));

        var note = check.ShouldBeOfType<NoteCheck.NoKnownSignature>().Note;
        Checkpoint.Parse(note.Text).Size.ShouldBe(115474666);
        note.Signatures.ShouldHaveSingleItem().Name.ShouldBe("rome.ct.filippo.io/2024h1");
    }

    [Fact]
    public void The_rfc6962_note_verifies_with_its_tree_head_key()
    {
        var item = NoteVectors.Item("rfc6962_notes", "rome.ct.filippo.io/2024h1-static-ct-checkpoint");
        var verifier = NoteVerifier.Parse(item.Get("vkey"));

        verifier.SignatureType.ShouldBe(NoteSignatureType.Rfc6962TreeHead);
        verifier.VerifierKey.ShouldBe(item.Get("vkey"));
        new NoteVerifierSet(verifier).Open(item.Get("note")).ShouldBeOfType<NoteCheck.Verified>();

        var tampered = item.Get("note").Replace("115474666", "115474667", StringComparison.Ordinal);
        new NoteVerifierSet(verifier).Open(tampered).ShouldBeOfType<NoteCheck.InvalidSignature>();
    }

    [Fact]
    public void The_cosignature_vector_carries_its_timestamp()
    {
        var item = NoteVectors.Item("cosignature_timestamp_vectors", "formats-cosigv1-timestamp");
        var raw = Convert.FromBase64String(item.Get("signature_base64"));
        var signature = new NoteSignature("witness", System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(raw), raw.AsSpan(4));

        CosignatureV1.TryGetTimestamp(signature, out var timestamp).ShouldBeTrue();

        timestamp.ShouldBe(item.GetProperty("want_timestamp").GetInt64());
        signature.Base64.ShouldBe(item.Get("signature_base64"));
    }
}
