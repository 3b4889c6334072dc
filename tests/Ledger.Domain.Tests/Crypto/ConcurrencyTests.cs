using Ledger.Domain.Crypto;

namespace Ledger.Domain.Tests.Crypto;

public sealed class ConcurrencyTests
{
    public static TheoryData<string> Algorithms => new() { SignatureAlgorithm.EcdsaP256Sha256, SignatureAlgorithm.Ed25519 };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void One_key_signs_and_verifies_on_many_threads_at_once(string algorithm)
    {
        using var key = algorithm == SignatureAlgorithm.Ed25519 ? (SigningKey)SigningKey.GenerateEd25519() : SigningKey.GenerateEcdsaP256();
        var failures = 0;

        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var message = BitConverter.GetBytes(i);
            var signature = key.Sign(message);
            var tampered = (byte[])signature.Clone();
            tampered[0] ^= 1;
            if (!key.VerificationKey.Verify(message, signature) || key.VerificationKey.Verify(message, tampered))
            {
                Interlocked.Increment(ref failures);
            }
        });

        failures.ShouldBe(0);
    }
}
