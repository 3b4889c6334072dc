using System.Security.Cryptography;
using Ledger.Domain.Crypto;

namespace Ledger.Domain.Tests.Crypto;

public sealed class VerificationKeyTests
{
    [Fact]
    public void An_ecdsa_key_text_round_trips_and_its_id_hashes_the_spki()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        var spki = key.VerificationKey.ExportPublicKey();
        var text = "ecdsa-p256:" + Convert.ToBase64String(spki);

        var parsed = VerificationKey.Parse(text);

        parsed.ShouldBeOfType<EcdsaP256VerificationKey>();
        parsed.Text.ShouldBe(text);
        parsed.ToString().ShouldBe(text);
        parsed.Algorithm.ShouldBe("ecdsa-p256-sha256");
        parsed.KeyId.ShouldBe("sha256:" + Convert.ToHexStringLower(SHA256.HashData(spki)));
        parsed.ShouldBe(key.VerificationKey);
        parsed.GetHashCode().ShouldBe(key.VerificationKey.GetHashCode());
    }

    [Fact]
    public void An_ed25519_key_text_round_trips_and_its_id_hashes_the_raw_key()
    {
        var raw = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        var text = "ed25519:" + Convert.ToBase64String(raw);

        var parsed = VerificationKey.Parse(text);

        parsed.ShouldBeOfType<Ed25519VerificationKey>();
        parsed.Text.ShouldBe(text);
        parsed.Algorithm.ShouldBe("ed25519");
        parsed.KeyId.ShouldBe("sha256:" + Convert.ToHexStringLower(SHA256.HashData(raw)));
        parsed.ExportPublicKey().ShouldBe(raw);
    }

    [Fact]
    public void Keys_of_different_text_are_not_equal()
    {
        using var a = SigningKey.GenerateEcdsaP256();
        using var b = SigningKey.GenerateEcdsaP256();

        a.VerificationKey.Equals(b.VerificationKey).ShouldBeFalse();
        a.VerificationKey.Equals((object?)null).ShouldBeFalse();
    }

    [Theory]
    [InlineData("rsa:AAAA", "starts with")]
    [InlineData("", "starts with")]
    [InlineData("ed25519:not base64!", "base64")]
    [InlineData("ed25519: AAAA", "base64")]
    [InlineData("ed25519:AAAA", "32 bytes")]
    [InlineData("ecdsa-p256:AAAA", "SubjectPublicKeyInfo")]
    [InlineData("ecdsa-p256:***", "base64")]
    public void Malformed_key_texts_are_rejected(string text, string reason)
    {
        var e = Should.Throw<FormatException>(() => VerificationKey.Parse(text));
        e.Message.ShouldContain(reason);

        VerificationKey.TryParse(text, out var key, out var error).ShouldBeFalse();
        key.ShouldBeNull();
        error.ShouldContain(reason);
    }

    [Fact]
    public void TryParse_accepts_a_valid_key()
    {
        VerificationKey.TryParse("ed25519:" + Convert.ToBase64String(new byte[32]), out var key, out var error).ShouldBeTrue();
        key.ShouldNotBeNull();
        error.ShouldBeNull();
    }

    [Fact]
    public void An_ecdsa_key_on_another_curve_is_rejected()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var text = "ecdsa-p256:" + Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo());

        Should.Throw<FormatException>(() => VerificationKey.Parse(text)).Message.ShouldContain("P-256");
    }

    [Fact]
    public void An_spki_with_trailing_bytes_is_rejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] spki = [.. key.ExportSubjectPublicKeyInfo(), 0x00];

        Should.Throw<FormatException>(() => EcdsaP256VerificationKey.FromSubjectPublicKeyInfo(spki)).Message.ShouldContain("trailing");
    }

    [Fact]
    public void A_non_ec_spki_is_rejected()
    {
        using var rsa = RSA.Create(2048);

        Should.Throw<FormatException>(() => EcdsaP256VerificationKey.FromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo()));
    }

    [Fact]
    public void An_spki_with_explicit_curve_parameters_is_not_canonical()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var explicitParameters = key.ExportExplicitParameters(includePrivateParameters: false);
        using var explicitKey = ECDsa.Create(explicitParameters);
        var spki = explicitKey.ExportSubjectPublicKeyInfo();

        Should.Throw<FormatException>(() => EcdsaP256VerificationKey.FromSubjectPublicKeyInfo(spki));
    }
}
