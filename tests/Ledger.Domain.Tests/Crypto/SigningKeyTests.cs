using System.Security.Cryptography;
using Ledger.Domain.Crypto;

namespace Ledger.Domain.Tests.Crypto;

public sealed class SigningKeyTests
{
    public static TheoryData<string> Algorithms => new() { "ecdsa-p256-sha256", "ed25519" };

    private static SigningKey Generate(string algorithm) =>
        algorithm == "ed25519" ? SigningKey.GenerateEd25519() : SigningKey.GenerateEcdsaP256();

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_fresh_key_signs_and_its_public_key_verifies(string algorithm)
    {
        using var key = Generate(algorithm);
        var message = "governed execution"u8.ToArray();

        var signature = key.Sign(message);

        key.Algorithm.ShouldBe(algorithm);
        key.VerificationKey.Algorithm.ShouldBe(algorithm);
        signature.Length.ShouldBe(64);
        key.VerificationKey.Verify(message, signature).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_flipped_signature_byte_fails(string algorithm)
    {
        using var key = Generate(algorithm);
        var signature = key.Sign("m"u8);
        signature[5] ^= 0x80;

        key.VerificationKey.Verify("m"u8, signature).ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Another_keys_signature_fails(string algorithm)
    {
        using var key = Generate(algorithm);
        using var other = Generate(algorithm);

        other.VerificationKey.Verify("m"u8, key.Sign("m"u8)).ShouldBeFalse();
    }

    [Fact]
    public void An_ecdsa_signature_of_the_wrong_length_fails()
    {
        using var key = SigningKey.GenerateEcdsaP256();

        key.VerificationKey.Verify("m"u8, key.SignDer("m"u8)).ShouldBeFalse();
        key.VerificationKey.Verify("m"u8, new byte[63]).ShouldBeFalse();
    }

    [Fact]
    public void An_ecdsa_der_signature_verifies_as_der()
    {
        using var key = SigningKey.GenerateEcdsaP256();

        key.VerificationKey.VerifyDer("m"u8, key.SignDer("m"u8)).ShouldBeTrue();
        key.VerificationKey.VerifyDer("m"u8, key.Sign("m"u8)).ShouldBeFalse();
        key.VerificationKey.VerifyDer("m"u8, [0x30, 0x01]).ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_disposed_key_refuses_to_sign(string algorithm)
    {
        var key = Generate(algorithm);
        key.Dispose();
        key.Dispose();

        Should.Throw<ObjectDisposedException>(() => key.Sign("m"u8));
    }

    [Fact]
    public void A_disposed_key_refuses_to_export()
    {
        var ecdsa = SigningKey.GenerateEcdsaP256();
        var ed25519 = SigningKey.GenerateEd25519();
        ecdsa.Dispose();
        ed25519.Dispose();

        Should.Throw<ObjectDisposedException>(() => ecdsa.ExportPkcs8());
        Should.Throw<ObjectDisposedException>(() => ecdsa.SignDer("m"u8));
        Should.Throw<ObjectDisposedException>(() => ed25519.ExportSeed());
    }

    [Fact]
    public void An_ed25519_key_from_a_seed_exports_the_same_seed()
    {
        var seed = Convert.FromHexString("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
        using var key = Ed25519SigningKey.FromSeed(seed);

        key.ExportSeed().ShouldBe(seed);
        Convert.ToHexStringLower(key.VerificationKey.ExportPublicKey())
            .ShouldBe("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    }

    [Fact]
    public void An_ed25519_seed_of_the_wrong_length_is_rejected()
    {
        Should.Throw<FormatException>(() => Ed25519SigningKey.FromSeed(new byte[31]));
    }

    [Fact]
    public void An_ecdsa_key_round_trips_through_pkcs8()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        using var copy = EcdsaP256SigningKey.FromPkcs8(key.ExportPkcs8());

        copy.VerificationKey.ShouldBe(key.VerificationKey);
        key.VerificationKey.Verify("m"u8, copy.Sign("m"u8)).ShouldBeTrue();
    }

    [Fact]
    public void Pkcs8_of_another_curve_or_with_trailing_bytes_or_not_ec_is_rejected()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);

        Should.Throw<FormatException>(() => EcdsaP256SigningKey.FromPkcs8(p384.ExportPkcs8PrivateKey())).Message.ShouldContain("P-256");
        Should.Throw<FormatException>(() => EcdsaP256SigningKey.FromPkcs8([.. p256.ExportPkcs8PrivateKey(), 0])).Message.ShouldContain("trailing");
        Should.Throw<FormatException>(() => EcdsaP256SigningKey.FromPkcs8(rsa.ExportPkcs8PrivateKey()));
    }
}
