using System.Text.Json;
using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Merkle;

/// <summary>
/// The probe files of transparency-dev/merkle's testdata (<c>tests/vectors/transparency-dev-merkle-testdata</c>),
/// one case per file: exactly the files with <c>wantErr: false</c> verify.
/// </summary>
public sealed class TransparencyDevTestdataTests
{
    private const string Folder = "transparency-dev-merkle-testdata";

    public static TheoryData<string> Files => [.. Vectors.FileNames(Folder)];

    [Fact]
    public void All_24_probe_files_are_present()
    {
        Vectors.FileNames(Folder).Count.ShouldBe(24);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Verifier_accepts_exactly_the_files_that_want_no_error(string file)
    {
        using var document = Vectors.ReadJson(Folder, file);
        var probe = document.RootElement;
        var wantError = probe.GetProperty("wantErr").GetBoolean();

        var check = Verify(probe);

        check.IsValid.ShouldBe(!wantError, $"{probe.GetProperty("desc").GetString()}: {check}");
    }

    private static MerkleCheck Verify(JsonElement probe)
    {
        var proof = Hashes(probe.GetProperty("proof"));
        if (probe.TryGetProperty("leafIdx", out var leafIndex) && probe.TryGetProperty("start", out var start))
        {
            return MerkleVerifier.VerifySubtreeInclusion(
                leafIndex.GetInt64(), start.GetInt64(), probe.GetProperty("end").GetInt64(),
                Bytes(probe, "leafHash"), proof, Bytes(probe, "root"));
        }

        if (probe.TryGetProperty("start", out start))
        {
            return MerkleVerifier.VerifySubtreeConsistency(
                start.GetInt64(), probe.GetProperty("end").GetInt64(), probe.GetProperty("size").GetInt64(),
                proof, Bytes(probe, "root1"), Bytes(probe, "root2"));
        }

        if (probe.TryGetProperty("leafIdx", out leafIndex))
        {
            return MerkleVerifier.VerifyInclusion(
                leafIndex.GetInt64(), probe.GetProperty("treeSize").GetInt64(),
                Bytes(probe, "leafHash"), proof, Bytes(probe, "root"));
        }

        return MerkleVerifier.VerifyConsistency(
            probe.GetProperty("size1").GetInt64(), probe.GetProperty("size2").GetInt64(),
            proof, Bytes(probe, "root1"), Bytes(probe, "root2"));
    }

    private static byte[] Bytes(JsonElement probe, string name) => probe.GetProperty(name).GetBytesFromBase64();

    // The files write a missing proof as null.
    private static byte[][] Hashes(JsonElement proof) =>
        proof.ValueKind == JsonValueKind.Null ? [] : [.. proof.EnumerateArray().Select(e => e.GetBytesFromBase64())];
}
