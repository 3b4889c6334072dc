using System.Security.Cryptography;
using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Tests.Notes;

public sealed class NoteKeyTests
{
    private const string PeterVkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string PeterSkey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

    [Fact]
    public void An_ed25519_vkey_id_hashes_name_newline_type_and_key()
    {
        var verifier = NoteVerifier.Parse(PeterVkey);
        var typeAndKey = Convert.FromBase64String("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
        var hash = SHA256.HashData([.. "PeterNeumann\n"u8, .. typeAndKey]);

        verifier.KeyId.ShouldBe(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hash));
        verifier.Name.ShouldBe("PeterNeumann");
        verifier.SignatureType.ShouldBe(NoteSignatureType.Ed25519);
        verifier.PublicKey.ShouldBeOfType<Ed25519VerificationKey>();
        verifier.ToString().ShouldBe(PeterVkey);
    }

    [Fact]
    public void An_ecdsa_vkey_id_hashes_only_the_spki()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        var verifier = NoteVerifier.Create("ledger.example/log", key.VerificationKey);
        var hash = SHA256.HashData(key.VerificationKey.ExportPublicKey());

        verifier.KeyId.ShouldBe(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hash));
        verifier.SignatureType.ShouldBe(NoteSignatureType.EcdsaSha256);
        NoteVerifier.Parse(verifier.VerifierKey).VerifierKey.ShouldBe(verifier.VerifierKey);
    }

    [Fact]
    public void An_uppercase_key_id_is_accepted_and_written_back_in_lowercase()
    {
        NoteVerifier.Parse(PeterVkey.Replace("c74f20a3", "C74F20A3", StringComparison.Ordinal)).VerifierKey.ShouldBe(PeterVkey);
    }

    [Theory]
    [InlineData("PeterNeumann+c74f20a3", "name+hexid+base64")]
    [InlineData("PeterNeumann", "name+hexid+base64")]
    [InlineData("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "name")]
    [InlineData("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "name")]
    [InlineData("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "eight hexadecimal")]
    [InlineData("PeterNeumann+c74f20ag+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "eight hexadecimal")]
    [InlineData("PeterNeumann+-74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "eight hexadecimal")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", "base64")]
    [InlineData("PeterNeumann+c74f20a3+AQ==", "base64")]
    [InlineData("PeterNeumann+c74f20a3+Axpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "unknown signature type 0x03")]
    [InlineData("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "does not match")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy", "32 bytes")]
    [InlineData("Peter+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "does not match")]
    [InlineData("rekor+c0d23d6a+AjAA", "SubjectPublicKeyInfo")]
    public void A_malformed_vkey_is_rejected_with_its_reason(string vkey, string reason)
    {
        Should.Throw<FormatException>(() => NoteVerifier.Parse(vkey)).Message.ShouldContain(reason);

        NoteVerifier.TryParse(vkey, out var verifier, out var error).ShouldBeFalse();
        verifier.ShouldBeNull();
        error.ShouldContain(reason);
    }

    [Fact]
    public void TryParse_accepts_a_valid_vkey()
    {
        NoteVerifier.TryParse(PeterVkey, out var verifier, out var error).ShouldBeTrue();
        verifier!.Name.ShouldBe("PeterNeumann");
        error.ShouldBeNull();
    }

    [Fact]
    public void An_ecdsa_vkey_whose_id_does_not_hash_the_spki_is_rejected()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        var verifier = NoteVerifier.Create("log", key.VerificationKey);
        var wrong = "log+" + (verifier.KeyId ^ 1).ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + verifier.VerifierKey[12..];

        Should.Throw<FormatException>(() => NoteVerifier.Parse(wrong)).Message.ShouldContain("does not match");
    }

    [Theory]
    [InlineData("KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "PRIVATE+KEY+")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "does not match")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+BIEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "unsupported signature type 0x04")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXH", "32 bytes")]
    [InlineData("PRIVATE+KEY+Peter Neumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "name")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AgAA", "PKCS#8")]
    public void A_malformed_skey_is_rejected_with_its_reason(string skey, string reason)
    {
        Should.Throw<FormatException>(() => NoteSigner.ParseSkey(skey)).Message.ShouldContain(reason);
    }

    [Fact]
    public void An_ecdsa_skey_round_trips_and_signs_for_its_vkey()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        using var signer = NoteSigner.Create("ledger.example/log", key);

        var skey = signer.ExportSkey();
        using var parsed = NoteSigner.ParseSkey(skey);

        skey.ShouldStartWith("PRIVATE+KEY+ledger.example/log+");
        parsed.Verifier.VerifierKey.ShouldBe(signer.Verifier.VerifierKey);
        var note = SignedNote.Sign("text\n", parsed);
        new NoteVerifierSet(NoteVerifier.Parse(signer.Verifier.VerifierKey)).Verify(note).IsVerified.ShouldBeTrue();
    }

    [Fact]
    public void A_signer_from_an_skey_owns_its_key_and_one_from_a_key_does_not()
    {
        var key = SigningKey.GenerateEd25519();
        var borrowed = NoteSigner.Create("a", key);
        borrowed.Dispose();
        key.Sign("still usable"u8).Length.ShouldBe(64);

        var owned = NoteSigner.ParseSkey(NoteSigner.Create("a", key).ExportSkey());
        owned.Dispose();
        Should.Throw<ObjectDisposedException>(() => owned.Key.Sign("m"u8));
        key.Dispose();
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a+b")]
    [InlineData("a\u00a0b")]
    [InlineData("a\nb")]
    public void Keys_need_a_valid_name(string name)
    {
        using var key = SigningKey.GenerateEd25519();

        Should.Throw<ArgumentException>(() => NoteVerifier.Create(name, key.VerificationKey));
        Should.Throw<ArgumentException>(() => NoteSigner.Create(name, key));
        Should.Throw<ArgumentException>(() => NoteVerifier.CreateCosignatureV1(name, key.VerificationKey));
    }

    [Fact]
    public void Two_verifiers_with_the_same_name_and_id_make_an_ambiguous_set()
    {
        var a = NoteVerifier.Parse(PeterVkey);
        var b = NoteVerifier.Parse(PeterVkey);

        Should.Throw<ArgumentException>(() => new NoteVerifierSet(a, b)).Message.ShouldContain("c74f20a3");
    }

    [Fact]
    public void A_set_finds_a_verifier_by_name_and_id_only()
    {
        var set = new NoteVerifierSet(NoteVerifier.Parse(PeterVkey));

        set.Count.ShouldBe(1);
        set.Find("PeterNeumann", 0xc74f20a3).ShouldNotBeNull();
        set.Find("PeterNeumann", 0xc74f20a4).ShouldBeNull();
        set.Find("Peter", 0xc74f20a3).ShouldBeNull();
        set.ShouldHaveSingleItem();
    }

    [Fact]
    public void The_skey_of_a_generated_ed25519_key_round_trips()
    {
        using var key = SigningKey.GenerateEd25519();
        using var signer = NoteSigner.Create("example.com/log", key);

        using var parsed = NoteSigner.ParseSkey(signer.ExportSkey());

        parsed.ExportSkey().ShouldBe(signer.ExportSkey());
        parsed.Verifier.VerifierKey.ShouldBe(signer.Verifier.VerifierKey);
    }

    [Fact]
    public void The_published_skey_yields_the_published_vkey()
    {
        using var signer = NoteSigner.ParseSkey(PeterSkey);

        signer.Verifier.VerifierKey.ShouldBe(PeterVkey);
        signer.KeyId.ShouldBe(0xc74f20a3u);
        signer.SignatureType.ShouldBe(NoteSignatureType.Ed25519);
    }
}
