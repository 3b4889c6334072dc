using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using Ledger.Domain.Crypto;
using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Crypto;

public sealed class Sha256NativeTests
{
    [Fact]
    public void OpenSSL_3_hashes_the_tree_on_this_platform()
    {
        // The platform's libcrypto is OpenSSL 3 (Debian 12): the tree must use it, not silently fall back.
        LibCrypto.EnsureLoaded().LibraryFile.ShouldBe("libcrypto.so.3");
        Sha256Native.IsAvailable.ShouldBeTrue();
    }

    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void Reproduces_the_FIPS_180_examples(string message, string expected)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(message);
        var digest = new byte[32];
        Sha256Native.Hash(bytes, [], digest);
        Convert.ToHexStringLower(digest).ShouldBe(expected);

        // The same message cut in two gives the same digest.
        Sha256Native.Hash(bytes.AsSpan(0, bytes.Length / 2), bytes.AsSpan(bytes.Length / 2), digest);
        Convert.ToHexStringLower(digest).ShouldBe(expected);
    }

    [Fact]
    public void Agrees_with_the_BCL_on_random_inputs_and_cuts()
    {
        var inputs = from length in Gen.Choose(0, 5000)
                     from seed in Gen.Choose(0, int.MaxValue)
                     from cut in Gen.Choose(0, int.MaxValue)
                     select (length, seed, cut);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(inputs.ToArbitrary(), c =>
        {
            var data = new byte[c.length];
            new Random(c.seed).NextBytes(data);
            var split = c.cut % (c.length + 1);
            var native = new byte[32];
            var bcl = new byte[32];
            Sha256Native.Hash(data.AsSpan(0, split), data.AsSpan(split), native);
            MerkleHash.HashWithBcl(data.AsSpan(0, split), data.AsSpan(split), bcl);
            return native.SequenceEqual(bcl) && native.SequenceEqual(SHA256.HashData(data));
        }));
    }

    [Fact]
    public void Threads_hashing_at_once_each_get_their_own_context()
    {
        var data = Enumerable.Range(0, 64).Select(i => { var b = new byte[100 + i]; new Random(i).NextBytes(b); return b; }).ToArray();
        var expected = data.Select(SHA256.HashData).ToArray();
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            var digest = new byte[32];
            for (var round = 0; round < 500; round++)
            {
                var i = round % data.Length;
                Sha256Native.Hash(data[i], [], digest);
                digest.ShouldBe(expected[i]);
            }
        });
    }

    [Fact]
    public void The_tree_hashes_match_the_BCL_computation_of_RFC_6962()
    {
        var entry = new byte[777];
        new Random(5).NextBytes(entry);
        MerkleHash.HashLeaf(entry).ShouldBe(SHA256.HashData([0x00, .. entry]));
        var left = SHA256.HashData("l"u8);
        var right = SHA256.HashData("r"u8);
        MerkleHash.HashChildren(left, right).ShouldBe(SHA256.HashData([0x01, .. left, .. right]));
    }
}
