using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>
/// Single-bit flips anywhere in a bundle: none may leave it valid. The format leaves no byte unchecked: every line is
/// canonical JSON (no free whitespace), base64 is canonical (no free pad bits), entries are hashed, checkpoints
/// signed, proofs and counts recomputed, and every header field is compared with the content.
/// </summary>
public sealed class RandomFlipTests
{
    [Theory]
    [InlineData("full", 200, 11)]
    [InlineData("from-later-position", 100, 12)]
    [InlineData("stream", 100, 13)]
    [InlineData("lineage", 100, 14)]
    public async Task Random_single_bit_flips_are_all_rejected(string kind, int flips, int seed)
    {
        using var log = new TestLog();
        using var scenario = Standard(log, signed: true);
        var bundle = kind switch
        {
            "full" => await log.FullBundleAsync(),
            "from-later-position" => await log.FullBundleAsync(log.SignedCheckpoints[1].Size + 2),
            "stream" => await log.StreamBundleAsync(Id("a1").StreamName),
            _ => await log.LineageBundleAsync(Id("p1")),
        };
        Harness.Verify(bundle, log).Outcome.ShouldBe(VerificationOutcome.Valid);
        var random = new Random(seed);
        var accepted = new List<string>();
        for (var i = 0; i < flips; i++)
        {
            var copy = (byte[])bundle.Clone();
            var offset = random.Next(copy.Length);
            var bit = random.Next(8);
            copy[offset] ^= (byte)(1 << bit);

            var report = Harness.Verify(copy, log);

            report.ExitCode.ShouldBeOneOf(1, 2);
            if (report.Outcome == VerificationOutcome.Valid)
            {
                accepted.Add($"offset {offset} bit {bit}");
            }
        }

        accepted.ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_bit_of_the_version_line_header_and_trailer_matters()
    {
        using var log = new TestLog();
        using var scenario = Standard(log, signed: false);
        var bundle = await log.StreamBundleAsync(Id("a1").StreamName);
        var lines = BundleLines.Of(bundle);
        var headerEnd = lines.Lines[0].Length + lines.Lines[1].Length + 2;
        var trailerStart = bundle.Length - lines.Lines[^1].Length - 1;
        var offsets = Enumerable.Range(0, headerEnd).Concat(Enumerable.Range(trailerStart, bundle.Length - trailerStart));
        foreach (var offset in offsets)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var copy = (byte[])bundle.Clone();
                copy[offset] ^= (byte)(1 << bit);
                Harness.Verify(copy, log).Outcome.ShouldNotBe(VerificationOutcome.Valid, $"offset {offset} bit {bit}");
            }
        }
    }
}
