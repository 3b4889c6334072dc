using System.Security.Cryptography;
using Ledger.Domain.Crypto;

namespace Ledger.Domain.Tests.Crypto;

public sealed class PrivateKeyTextTests
{
    [Fact]
    public void An_ecdsa_key_file_is_pkcs8_pem_and_round_trips()
    {
        using var key = SigningKey.GenerateEcdsaP256();

        var text = PrivateKeyText.Export(key, "ignored");
        using var imported = PrivateKeyText.Import(text, out var name);

        text.ShouldStartWith("-----BEGIN PRIVATE KEY-----\n");
        text.ShouldEndWith("-----END PRIVATE KEY-----\n");
        name.ShouldBeNull();
        imported.VerificationKey.ShouldBe(key.VerificationKey);
    }

    [Fact]
    public void An_ed25519_key_file_is_a_signer_key_and_round_trips()
    {
        using var key = SigningKey.GenerateEd25519();

        var text = PrivateKeyText.Export(key, "emitter-a");
        using var imported = PrivateKeyText.Import(text, out var name);

        text.ShouldStartWith("PRIVATE+KEY+emitter-a+");
        text.ShouldEndWith("\n");
        name.ShouldBe("emitter-a");
        imported.ShouldBeOfType<Ed25519SigningKey>().VerificationKey.ShouldBe(key.VerificationKey);
    }

    [Fact]
    public void The_c2sp_test_signer_key_imports()
    {
        using var key = PrivateKeyText.Import("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz\n");

        var vkeyBytes = Convert.FromBase64String("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
        key.VerificationKey.ExportPublicKey().ShouldBe(vkeyBytes[1..]);
    }

    [Fact]
    public void An_ed25519_key_file_needs_a_valid_name()
    {
        using var key = SigningKey.GenerateEd25519();

        Should.Throw<ArgumentException>(() => PrivateKeyText.Export(key, "has space"));
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\ntrailing")]
    [InlineData("PRIVATE+KEY+name+00000000+AQ==")]
    public void Text_that_is_no_key_file_is_rejected(string text)
    {
        Should.Throw<FormatException>(() => PrivateKeyText.Import(text));
    }

    [Fact]
    public void A_pem_of_another_label_is_rejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportSubjectPublicKeyInfoPem();

        Should.Throw<FormatException>(() => PrivateKeyText.Import(pem)).Message.ShouldContain("PUBLIC KEY");
    }

    [Fact]
    public void A_pem_of_a_p384_key_is_rejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Should.Throw<FormatException>(() => PrivateKeyText.Import(key.ExportPkcs8PrivateKeyPem()));
    }
}
