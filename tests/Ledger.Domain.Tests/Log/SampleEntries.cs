using System.Text.Json;
using Ledger.Domain.Log;

namespace Ledger.Domain.Tests.Log;

/// <summary>Fixed entries whose canonical bytes the approval tests pin.</summary>
internal static class SampleEntries
{
    public const string Origin = "ledger.example.com/eu-1";

    public static readonly DateTimeOffset RecordedAt = new(2025, 6, 1, 12, 34, 56, TimeSpan.Zero);

    /// <summary>The 32 bytes 0x00..0x1f, standing in for the leaf hash of the previous event.</summary>
    public static byte[] PrevHash => [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    public static EmitterSignature Signature => new(
        EmitterSignature.AlgorithmEcdsaP256Sha256,
        "sha256:" + new string('a', 32) + new string('0', 32),
        Convert.ToBase64String([.. Enumerable.Range(0, 64).Select(i => (byte)(255 - i))]));

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

    public static LedgerEntry Full => new(
        Origin,
        41,
        RecordedAt.AddTicks(1_234_567),
        2,
        FullStatement,
        Signature,
        PrevHash);

    public static LedgerEntry Minimal => new(Origin, 0, RecordedAt, 1, MinimalStatement, null, null);

    public static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
