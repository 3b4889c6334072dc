using System.Security.Cryptography;
using System.Text;
using Ledger.Domain.Merkle;

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
            """{"data":{"attempt":1,"executionId":"7f3c9a","runtimeNode":"node-17","tags":["gpu","spot"]},"domain":"aws-eu","emitter":"orchestrator","eventId":"evt-0002","metadata":{"note":"Zürich \"edge\"\n","traceId":"4bf92f3577b34da6"},"occurredAt":"2025-06-01T14:34:55.9+02:00","origin":"ledger.example.com/eu-1","position":1,"prev":"SdVOEej1rXHIMFl5tIyoOnh/9YSXIBcHnVuckosGQyE=","recordedAt":"2025-06-01T12:34:56.123456Z","signature":{"alg":"ecdsa-p256-sha256","keyId":"sha256:445c7a74ebaa9527833a5006cfc44996736717bd495bb997f9c90eb023d047c6","value":"Bc1W+riNHELL6BXmOVRobbQWNYsL6eyIyd1Uiu+EsGzntqknvtGuMZ+De601md1o/tXWR8RvYfpPgk++CK30jw=="},"stream":"execution-7f3c9a","streamVersion":2,"type":"execution.started.v1"}""";

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
    public void Entries_have_these_leaf_hashes_and_the_second_chains_to_the_first()
    {
        var first = MerkleHash.HashLeaf(SampleEntries.Minimal.ToCanonicalBytes());
        var second = MerkleHash.HashLeaf(SampleEntries.Full.ToCanonicalBytes());

        Convert.ToHexStringLower(first).ShouldBe("49d54e11e8f5ad71c8305979b48ca83a787ff584972017079d5b9c928b064321");
        Convert.ToHexStringLower(second).ShouldBe("7f728f1c95433046def54fde3dbd37e24b6ba1b5f25564313ed7fc4d5d884416");
        SampleEntries.Full.Prev.ShouldBe(first);
    }

    [Fact]
    public void Sample_signature_verifies_over_the_statement_bytes_with_the_sample_emitter_key()
    {
        var spki = Convert.FromBase64String(SampleEntries.EmitterPublicKey);
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(spki, out _);
        var signature = SampleEntries.Full.Signature!;

        ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(spki))).ShouldBe(signature.KeyId);
        key.VerifyData(
            SampleEntries.Full.Statement.ToCanonicalBytes(),
            signature.GetValueBytes(),
            HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation).ShouldBeTrue();
    }

    [Fact]
    public void Sample_signature_does_not_verify_over_the_entry_bytes()
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(SampleEntries.EmitterPublicKey), out _);

        key.VerifyData(
            SampleEntries.Full.ToCanonicalBytes(),
            SampleEntries.Full.Signature!.GetValueBytes(),
            HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation).ShouldBeFalse();
    }

    [Fact]
    public void Removing_the_ledger_assigned_members_from_an_entry_leaves_its_statement_byte_for_byte()
    {
        string[] assigned = ["origin", "position", "prev", "recordedAt", "signature", "streamVersion"];
        using var entry = System.Text.Json.JsonDocument.Parse(SampleEntries.Full.ToCanonicalBytes());

        var kept = entry.RootElement.EnumerateObject()
            .Where(member => !assigned.Contains(member.Name))
            .Select(member => "\"" + member.Name + "\":" + member.Value.GetRawText());

        Encoding.UTF8.GetBytes("{" + string.Join(",", kept) + "}").ShouldBe(SampleEntries.FullStatement.ToCanonicalBytes());
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
