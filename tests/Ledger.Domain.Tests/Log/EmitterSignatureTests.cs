using Ledger.Domain.Log;

namespace Ledger.Domain.Tests.Log;

public sealed class EmitterSignatureTests
{
    private static readonly string KeyId = "sha256:" + new string('0', 63) + "f";

    [Theory]
    [InlineData("ecdsa-p256-sha256")]
    [InlineData("ed25519")]
    public void Known_algorithm_with_key_id_and_base64_value_is_accepted(string alg)
    {
        var signature = new EmitterSignature(alg, KeyId, "AAEC");

        signature.Alg.ShouldBe(alg);
        signature.GetValueBytes().ShouldBe(new byte[] { 0, 1, 2 });
    }

    [Theory]
    [InlineData("")]
    [InlineData("ES256")]
    [InlineData("ECDSA-P256-SHA256")]
    [InlineData("rsa-pss-sha256")]
    public void Unknown_algorithm_is_rejected(string alg)
    {
        Should.Throw<ArgumentException>(() => new EmitterSignature(alg, KeyId, "AAEC")).ParamName.ShouldBe("Alg");
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha256:")]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000F0F")]
    [InlineData("sha256:00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000a")]
    [InlineData("sha512:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    public void Key_id_that_is_not_sha256_and_64_lowercase_hex_digits_is_rejected(string keyId)
    {
        Should.Throw<ArgumentException>(() => new EmitterSignature("ed25519", keyId, "AAEC")).ParamName.ShouldBe("KeyId");
    }

    [Theory]
    [InlineData("")]
    [InlineData("AAE")]
    [InlineData("AA EC")]
    [InlineData("AAEC\n")]
    [InlineData("AB==")]
    [InlineData("AA-_")]
    [InlineData("AAE=C")]
    [InlineData("AA")]
    public void Value_that_is_not_canonical_padded_base64_is_rejected(string value)
    {
        Should.Throw<ArgumentException>(() => new EmitterSignature("ed25519", KeyId, value)).ParamName.ShouldBe("Value");
    }

    [Fact]
    public void Missing_values_are_rejected()
    {
        Should.Throw<ArgumentNullException>(() => new EmitterSignature(null!, KeyId, "AAEC"));
        Should.Throw<ArgumentNullException>(() => new EmitterSignature("ed25519", null!, "AAEC"));
        Should.Throw<ArgumentNullException>(() => new EmitterSignature("ed25519", KeyId, null!));
    }

    [Fact]
    public void Signatures_with_the_same_values_are_equal()
    {
        new EmitterSignature("ed25519", KeyId, "AAEC").ShouldBe(new EmitterSignature("ed25519", KeyId, "AAEC"));
    }
}
