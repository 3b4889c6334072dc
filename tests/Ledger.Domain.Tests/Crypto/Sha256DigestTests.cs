using System.Security.Cryptography;
using System.Text;
using Ledger.Domain.Crypto;

namespace Ledger.Domain.Tests.Crypto;

public sealed class Sha256DigestTests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void Reproduces_the_FIPS_180_examples(string message, string expected)
    {
        var digest = new byte[32];
        Sha256Digest.HashData(Encoding.ASCII.GetBytes(message), digest);
        Convert.ToHexStringLower(digest).ShouldBe(expected);
    }

    [Fact]
    public void Agrees_with_the_BCL_for_stream_names_of_every_length_up_to_a_kilobyte()
    {
        var digest = new byte[40];
        for (var length = 0; length <= 1024; length++)
        {
            var name = Encoding.UTF8.GetBytes("execution-" + new string('é', length / 2) + new string('x', length % 2));
            Sha256Digest.HashData(name, digest);
            digest.AsSpan(0, 32).ToArray().ShouldBe(SHA256.HashData(name));
        }
    }

    [Fact]
    public void A_destination_shorter_than_a_digest_is_refused_naming_both_sizes()
    {
        var e = Should.Throw<ArgumentException>(() => Sha256Digest.HashData("abc"u8, new byte[31]));
        e.ParamName.ShouldBe("destination");
        e.Message.ShouldContain("31 bytes");
        e.Message.ShouldContain("32");
    }
}
