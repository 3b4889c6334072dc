using Ledger.Domain.Crypto;
using Ledger.Domain.Log;
using Ledger.Domain.Tests.Log;

namespace Ledger.Domain.Tests.Crypto;

public sealed class EmitterSignerTests
{
    public static TheoryData<string> Algorithms => new() { SignatureAlgorithm.EcdsaP256Sha256, SignatureAlgorithm.Ed25519 };

    private static SigningKey Generate(string algorithm) =>
        algorithm == SignatureAlgorithm.Ed25519 ? SigningKey.GenerateEd25519() : SigningKey.GenerateEcdsaP256();

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_signed_statement_verifies_with_the_emitters_public_key(string algorithm)
    {
        using var key = Generate(algorithm);
        var statement = SampleEntries.FullStatement;

        var signature = EmitterSigner.Sign(statement, key);

        signature.Alg.ShouldBe(algorithm);
        signature.KeyId.ShouldBe(key.VerificationKey.KeyId);
        signature.GetValueBytes().Length.ShouldBe(64);
        EmitterSigner.Verify(statement, signature, key.VerificationKey).ShouldBeTrue();
        EmitterSigner.Verify(statement, signature, VerificationKey.Parse(key.VerificationKey.Text)).ShouldBeTrue();
    }

    [Fact]
    public void The_signature_covers_the_statements_canonical_bytes()
    {
        var seed = Convert.FromHexString("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
        using var key = Ed25519SigningKey.FromSeed(seed);
        var statement = SampleEntries.MinimalStatement;

        var signature = EmitterSigner.Sign(statement, key);

        signature.Value.ShouldBe(Convert.ToBase64String(Ed25519.Sign(seed, statement.ToCanonicalBytes())));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_changed_statement_does_not_verify(string algorithm)
    {
        using var key = Generate(algorithm);
        var signature = EmitterSigner.Sign(SampleEntries.FullStatement, key);
        var changed = SampleEntries.FullStatement with { Domain = "gcp-us" };

        EmitterSigner.Verify(changed, signature, key.VerificationKey).ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Another_key_of_the_same_algorithm_does_not_verify(string algorithm)
    {
        using var key = Generate(algorithm);
        using var other = Generate(algorithm);
        var signature = EmitterSigner.Sign(SampleEntries.FullStatement, key);

        EmitterSigner.Verify(SampleEntries.FullStatement, signature, other.VerificationKey).ShouldBeFalse();
        EmitterSigner.Verify(SampleEntries.FullStatement, signature with { KeyId = other.VerificationKey.KeyId }, other.VerificationKey).ShouldBeFalse();
    }

    [Fact]
    public void A_signature_naming_another_algorithm_does_not_verify()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        var signature = EmitterSigner.Sign(SampleEntries.FullStatement, key);

        EmitterSigner.Verify(SampleEntries.FullStatement, signature with { Alg = SignatureAlgorithm.Ed25519 }, key.VerificationKey).ShouldBeFalse();
    }

    [Fact]
    public void A_signature_naming_another_key_id_does_not_verify()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        var signature = EmitterSigner.Sign(SampleEntries.FullStatement, key) with { KeyId = "sha256:" + new string('0', 64) };

        EmitterSigner.Verify(SampleEntries.FullStatement, signature, key.VerificationKey).ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_signature_value_of_the_wrong_length_does_not_verify(string algorithm)
    {
        using var key = Generate(algorithm);
        var signature = EmitterSigner.Sign(SampleEntries.FullStatement, key);
        var truncated = signature with { Value = Convert.ToBase64String(signature.GetValueBytes()[..63]) };

        EmitterSigner.Verify(SampleEntries.FullStatement, truncated, key.VerificationKey).ShouldBeFalse();
    }
}
