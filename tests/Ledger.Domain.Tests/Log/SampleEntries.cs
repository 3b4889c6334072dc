using System.Security.Cryptography;
using System.Text.Json;
using Ledger.Domain.Log;

namespace Ledger.Domain.Tests.Log;

/// <summary>Fixed entries whose canonical bytes the approval tests pin.</summary>
internal static class SampleEntries
{
    public const string Origin = "ledger.example.com/eu-1";

    public static readonly DateTimeOffset RecordedAt = new(2025, 6, 1, 12, 34, 56, TimeSpan.Zero);

    /// <summary>The sample emitter's ECDSA P-256 public key, SubjectPublicKeyInfo DER in base64.</summary>
    public const string EmitterPublicKey =
        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQp53EbBOAZFq3WI/81W/Zx/g3qnwts7c9suqTMlBlZdJmt4isWJYQsw9jbGpuCPMMQ1xCgeSXyyixIE9dstNRg==";

    /// <summary>SHA-256 of <see cref="EmitterPublicKey"/>'s DER bytes.</summary>
    public const string EmitterKeyId = "sha256:445c7a74ebaa9527833a5006cfc44996736717bd495bb997f9c90eb023d047c6";

    /// <summary>The leaf hash of <see cref="Minimal"/>, SHA-256(0x00 ‖ its canonical bytes): the previous event of <see cref="Full"/>'s stream.</summary>
    public static byte[] PrevHash => SHA256.HashData([0x00, .. Minimal.ToCanonicalBytes()]);

    /// <summary>A real signature by the sample emitter key over <see cref="FullStatement"/>'s canonical bytes (P1363 r‖s).</summary>
    public static EmitterSignature Signature => new(
        EmitterSignature.AlgorithmEcdsaP256Sha256,
        EmitterKeyId,
        "Bc1W+riNHELL6BXmOVRobbQWNYsL6eyIyd1Uiu+EsGzntqknvtGuMZ+De601md1o/tXWR8RvYfpPgk++CK30jw==");

    /// <summary>A second event of a stream, with every optional member set.</summary>
    public static EmitterStatement FullStatement => new(
        "execution-7f3c9a",
        "evt-0002",
        "execution.started.v1",
        "aws-eu",
        "orchestrator",
        "2025-06-01T14:34:55.9+02:00",
        Json("""{ "runtimeNode": "node-17", "executionId": "7f3c9a", "attempt": 1.0, "tags": ["gpu", "spot"] }"""),
        Json("""{ "traceId": "4bf92f3577b34da6", "note": "Zürich \"edge\"\n" }"""));

    /// <summary>The first event of a stream, with no optional member set.</summary>
    public static EmitterStatement MinimalStatement => new(
        "execution-7f3c9a",
        "evt-0001",
        "execution.intent-declared.v1",
        "aws-eu",
        "orchestrator",
        null,
        Json("""{"executionId":"7f3c9a"}"""),
        null);

    /// <summary>The second event of the stream <see cref="Minimal"/> starts, signed, at position 1.</summary>
    public static LedgerEntry Full => new(
        Origin,
        1,
        RecordedAt.AddTicks(1_234_567),
        2,
        FullStatement,
        Signature,
        PrevHash);

    /// <summary>The first event of a stream, unsigned, at position 0.</summary>
    public static LedgerEntry Minimal => new(Origin, 0, RecordedAt, 1, MinimalStatement, null, null);

    public static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
