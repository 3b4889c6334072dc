using System.Security.Cryptography;
using System.Text;

namespace Ledger.Domain.Tests.Log;

// These pin the wire format. If one fails, the bytes that are hashed into the log or signed by
// emitters have changed: that breaks every existing log and signature, and needs a new format
// version and docs/FORMAT.md, not a new expected string.
public sealed class LedgerEntryApprovalTests
{
    [Fact]
    public void Entry_with_signature_metadata_and_prev_has_these_canonical_bytes()
    {
        const string expected =
            """{"data":{"attempt":1,"executionId":"7f3c9a","runtimeNode":"node-17","tags":["gpu","spot"]},"domain":"aws-eu","emitter":"orchestrator","eventId":"evt-0002","metadata":{"note":"Zürich \"edge\"\n","traceId":"4bf92f3577b34da6"},"occurredAt":"2025-06-01T14:34:55.9+02:00","origin":"ledger.example.com/eu-1","position":41,"prev":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=","recordedAt":"2025-06-01T12:34:56.123456Z","signature":{"alg":"ecdsa-p256-sha256","keyId":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa00000000000000000000000000000000","value":"//79/Pv6+fj39vX08/Lx8O/u7ezr6uno5+bl5OPi4eDf3t3c29rZ2NfW1dTT0tHQz87NzMvKycjHxsXEw8LBwA=="},"stream":"execution-7f3c9a","streamVersion":2,"type":"execution.started.v1"}""";

        Encoding.UTF8.GetString(SampleEntries.Full.ToCanonicalBytes()).ShouldBe(expected);
    }

    [Fact]
    public void First_entry_of_a_stream_without_signature_or_metadata_has_these_canonical_bytes()
    {
        const string expected =
            """{"data":{"executionId":"7f3c9a"},"domain":"aws-eu","emitter":"orchestrator","eventId":"evt-0001","metadata":null,"occurredAt":null,"origin":"ledger.example.com/eu-1","position":0,"prev":null,"recordedAt":"2025-06-01T12:34:56.000000Z","signature":null,"stream":"execution-7f3c9a","streamVersion":1,"type":"execution.intent-declared.v1"}""";

        Encoding.UTF8.GetString(SampleEntries.Minimal.ToCanonicalBytes()).ShouldBe(expected);
    }

    [Fact]
    public void Statement_has_these_canonical_bytes_and_digest()
    {
        const string expected =
            """{"data":{"attempt":1,"executionId":"7f3c9a","runtimeNode":"node-17","tags":["gpu","spot"]},"domain":"aws-eu","emitter":"orchestrator","eventId":"evt-0002","metadata":{"note":"Zürich \"edge\"\n","traceId":"4bf92f3577b34da6"},"occurredAt":"2025-06-01T14:34:55.9+02:00","stream":"execution-7f3c9a","type":"execution.started.v1"}""";
        var statement = SampleEntries.FullStatement;

        Encoding.UTF8.GetString(statement.ToCanonicalBytes()).ShouldBe(expected);
        statement.Digest().ShouldBe("sha256:446fa5230ec3658e03b7c519a8be46ea1ac033c88bad21f7541560234aa67744");
    }

    [Fact]
    public void Statement_without_occurrence_time_or_metadata_writes_them_as_null()
    {
        const string expected =
            """{"data":{"executionId":"7f3c9a"},"domain":"aws-eu","emitter":"orchestrator","eventId":"evt-0001","metadata":null,"occurredAt":null,"stream":"execution-7f3c9a","type":"execution.intent-declared.v1"}""";
        var statement = SampleEntries.MinimalStatement;

        Encoding.UTF8.GetString(statement.ToCanonicalBytes()).ShouldBe(expected);
        statement.Digest().ShouldBe("sha256:b05c9ff3699a1242b64a9175f0c5881d1722c431c9c84d071da55190683d1fdb");
    }

    [Fact]
    public void Statement_digest_is_the_SHA256_of_its_canonical_bytes_in_lowercase_hex()
    {
        var statement = SampleEntries.FullStatement;

        var expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(statement.ToCanonicalBytes()));

        statement.Digest().ShouldBe(expected);
        statement.Digest().Length.ShouldBe(71);
    }

    [Fact]
    public void Entry_holds_the_statement_bytes_as_its_statement_members()
    {
        using var entry = System.Text.Json.JsonDocument.Parse(SampleEntries.Full.ToCanonicalBytes());
        using var statement = System.Text.Json.JsonDocument.Parse(SampleEntries.FullStatement.ToCanonicalBytes());

        foreach (var member in statement.RootElement.EnumerateObject())
        {
            entry.RootElement.GetProperty(member.Name).GetRawText().ShouldBe(member.Value.GetRawText());
        }
    }
}
