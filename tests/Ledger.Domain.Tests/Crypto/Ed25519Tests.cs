using Ledger.Domain.Crypto;

namespace Ledger.Domain.Tests.Crypto;

public sealed class Ed25519Tests
{
    // RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte).
    private const string Seed1 = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private const string Public1 = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private const string Signature1 = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
    private const string Seed2 = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
    private const string Public2 = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    private const string Signature2 = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

    [Fact]
    public void Ed25519_is_supported_by_this_platforms_libcrypto()
    {
        Ed25519.IsSupported.ShouldBeTrue();
    }

    [Theory]
    [InlineData(Seed1, Public1, "", Signature1)]
    [InlineData(Seed2, Public2, "72", Signature2)]
    public void Rfc8032_test_vectors_derive_sign_and_verify(string seed, string publicKey, string message, string signature)
    {
        var seedBytes = Convert.FromHexString(seed);
        var messageBytes = Convert.FromHexString(message);

        Convert.ToHexStringLower(Ed25519.DerivePublicKey(seedBytes)).ShouldBe(publicKey);
        Convert.ToHexStringLower(Ed25519.Sign(seedBytes, messageBytes)).ShouldBe(signature);
        Ed25519.Verify(Convert.FromHexString(publicKey), messageBytes, Convert.FromHexString(signature)).ShouldBeTrue();
    }

    [Fact]
    public void A_flipped_signature_bit_fails_verification()
    {
        var signature = Convert.FromHexString(Signature2);
        signature[10] ^= 0x01;

        Ed25519.Verify(Convert.FromHexString(Public2), [0x72], signature).ShouldBeFalse();
    }

    [Fact]
    public void A_changed_message_fails_verification()
    {
        Ed25519.Verify(Convert.FromHexString(Public2), [0x73], Convert.FromHexString(Signature2)).ShouldBeFalse();
    }

    [Theory]
    [InlineData(31, 64)]
    [InlineData(33, 64)]
    [InlineData(32, 63)]
    [InlineData(32, 65)]
    public void Wrong_key_or_signature_lengths_do_not_verify(int keyLength, int signatureLength)
    {
        Ed25519.Verify(new byte[keyLength], "m"u8, new byte[signatureLength]).ShouldBeFalse();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(64)]
    public void A_seed_that_is_not_32_bytes_is_refused(int length)
    {
        Should.Throw<ArgumentException>(() => Ed25519.Sign(new byte[length], "m"u8));
        Should.Throw<ArgumentException>(() => Ed25519.DerivePublicKey(new byte[length]));
    }

    [Fact]
    public void Generated_seeds_are_fresh_32_byte_values()
    {
        var a = Ed25519.GenerateSeed();
        var b = Ed25519.GenerateSeed();

        a.Length.ShouldBe(32);
        a.ShouldNotBe(b);
    }

    [Fact]
    public void A_missing_library_is_reported_with_the_names_tried()
    {
        var result = LibCrypto.Probe(["libledger-no-such-crypto.so.9"]);

        result.IsLoaded.ShouldBeFalse();
        result.Detail.ShouldContain("libledger-no-such-crypto.so.9 (not found)");
        Ed25519.UnsupportedMessage(result.Detail).ShouldContain("libcrypto.so.3");
    }

    [Fact]
    public void The_first_candidate_exporting_every_function_is_loaded()
    {
        var result = LibCrypto.Probe(["libledger-no-such-crypto.so.9", .. LibCrypto.Candidates]);

        result.IsLoaded.ShouldBeTrue();
        result.LibraryFile.ShouldBe("libcrypto.so.3");
    }

    [Fact]
    public void A_library_without_the_functions_is_passed_over()
    {
        // libz is no libcrypto: it loads but lacks the EVP functions.
        var result = LibCrypto.Probe(["libz.so.1"]);

        result.IsLoaded.ShouldBeFalse();
        result.Detail.ShouldContain("libz.so.1 (no EVP_PKEY_new_raw_private_key)");
    }
}
