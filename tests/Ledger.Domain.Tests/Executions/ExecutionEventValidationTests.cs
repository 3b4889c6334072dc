using Ledger.Domain.Executions;
using static Ledger.Domain.Tests.Executions.ExecutionEventCodecTests;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

/// <summary>Each validation rule of the execution event data, one refused example each.</summary>
public sealed class ExecutionEventValidationTests
{
    private const string Intent = "execution.intent-declared.v1";
    private const string Governance = "execution.governance-synchronized.v1";
    private const string Authorization = "execution.authorization-issued.v1";
    private const string Trust = "execution.runtime-trust-established.v1";
    private const string Started = "execution.started.v1";
    private const string Verified = "execution.runtime-verified.v1";
    private const string Completed = "execution.completed.v1";
    private const string Proof = "execution.proof-persisted.v1";
    private const string Denied = "execution.denied.v1";
    private const string Halted = "execution.halted.v1";

    private static readonly string D = Digest('a');
    private static readonly string Root = Convert.ToBase64String(new byte[32]);

    private static readonly string ValidIntent =
        """{"executionId":"exec-1","actor":"spiffe://aws/x","action":"deploy","resources":["r"],"requestedScope":["read"],"targetDomains":["aws"],"parent":null}""";

    public static TheoryData<string, string, string> Refused => new()
    {
        // The data itself.
        { Started, """[]""", "data: expected an object, found an array" },
        { Started, """{"runtimeNode":"n","extra":1}""", "extra: unknown member" },
        { Started, """{"runtimeNode":"n","runtimeNode":"m"}""", "runtimeNode: duplicate member" },
        { Started, """{}""", "runtimeNode: required member is missing" },
        { Started, """{"runtimeNode":null}""", "runtimeNode: must not be null" },
        { Started, """{"runtimeNode":7}""", "runtimeNode: expected a string, found a number" },
        { Started, """{"runtimeNode":""}""", "runtimeNode: must not be empty" },

        // Intent.
        { Intent, ValidIntent.Replace("exec-1", "exec 1", StringComparison.Ordinal), "executionId: must be 1 to 128 characters of [A-Za-z0-9._:-]" },
        { Intent, ValidIntent.Replace("spiffe://aws/x", "runner", StringComparison.Ordinal), "actor: must be an absolute URI" },
        { Intent, ValidIntent.Replace("[\"r\"]", "[]", StringComparison.Ordinal), "resources: must not be empty" },
        { Intent, ValidIntent.Replace("[\"read\"]", "[\"read\",\"read\"]", StringComparison.Ordinal), "requestedScope[1]: duplicate value 'read'" },
        { Intent, ValidIntent.Replace("[\"read\"]", "[\"read\",3]", StringComparison.Ordinal), "requestedScope[1]: expected a string, found a number" },
        { Intent, ValidIntent.Replace("[\"read\"]", "[\"\"]", StringComparison.Ordinal), "requestedScope[0]: must not be empty" },
        { Intent, ValidIntent.Replace("[\"aws\"]", "[\"*\"]", StringComparison.Ordinal), "targetDomains[0]: '*' is not a domain name" },
        { Intent, ValidIntent.Replace("[\"aws\"]", "\"aws\"", StringComparison.Ordinal), "targetDomains: expected an array, found a string" },
        { Intent, ValidIntent.Replace(",\"parent\":null", "", StringComparison.Ordinal), "parent: required member is missing" },
        { Intent, ValidIntent.Replace("null}", "\"p\"}", StringComparison.Ordinal), "parent: expected an object, found a string" },
        { Intent, ValidIntent.Replace("null}", "{\"ledger\":\"l\"}}", StringComparison.Ordinal), "parent.executionId: required member is missing" },
        { Intent, ValidIntent.Replace("null}", "{\"ledger\":\"l\",\"executionId\":\"p\",\"x\":1}}", StringComparison.Ordinal), "parent.x: unknown member" },

        // Governance.
        { Governance, $$"""{"policyId":"p","policyDigest":"sha256:{{new string('A', 64)}}","syncedDomains":[{"domain":"aws","policyDigest":"{{D}}","syncedAt":"2025-01-01T00:00:00Z"}]}""",
            "policyDigest: must be 'sha256:' followed by 64 lowercase hex digits" },
        { Governance, $$"""{"policyId":"p","policyDigest":"{{D}}","syncedDomains":[]}""", "syncedDomains: must not be empty" },
        { Governance, $$"""{"policyId":"p","policyDigest":"{{D}}","syncedDomains":[{"domain":"aws","policyDigest":"sha256:00","syncedAt":"2025-01-01T00:00:00Z"}]}""",
            "syncedDomains[0].policyDigest: must be 'sha256:' followed by 64 lowercase hex digits" },
        { Governance, $$"""{"policyId":"p","policyDigest":"{{D}}","syncedDomains":[{"domain":"aws","policyDigest":"{{D}}"}]}""",
            "syncedDomains[0].syncedAt: required member is missing" },
        { Governance, $$"""{"policyId":"p","policyDigest":"{{D}}","syncedDomains":[1]}""", "syncedDomains[0]: expected an object, found a number" },
        { Governance, $$"""{"policyId":"p","policyDigest":"{{D}}","syncedDomains":[{"domain":"aws","policyDigest":"{{D}}","syncedAt":"2025-01-01T00:00:00Z"},{"domain":"aws","policyDigest":"{{D}}","syncedAt":"2025-01-01T00:00:00Z"}]}""",
            "syncedDomains: domain 'aws' appears more than once" },

        // Authorization.
        { Authorization, AuthorizationData(expiresAt: "2025-01-01T00:02:00Z").GetRawText(), "expiresAt: must be later than notBefore" },
        { Authorization, AuthorizationData().GetRawText().Replace(D, "sha256:" + new string('a', 63), StringComparison.Ordinal),
            "artifactDigest: must be 'sha256:' followed by 64 lowercase hex digits" },

        // Runtime trust and verification.
        { Trust, $$"""{"workload":"spiffe://aws/x","attestationType":"tpm","measurement":"{{D}}","verifier":"v","verdict":"maybe"}""",
            "verdict: must be one of 'trusted', 'untrusted', found 'maybe'" },
        { Trust, $$"""{"workload":"spiffe://aws/x","attestationType":"tpm","measurement":"{{D}}","verifier":"v","verdict":"Trusted"}""",
            "verdict: must be one of 'trusted', 'untrusted', found 'Trusted'" },
        { Verified, $$"""{"measurement":"{{D}}","verdict":true}""", "verdict: expected a string, found a boolean" },
        { Verified, $$"""{"measurement":"{{D}}","verdict":"passed"}""", "verdict: must be one of 'ok', 'failed', found 'passed'" },

        // Completion.
        { Completed, """{"outcome":"done","outputs":[]}""", "outcome: must be one of 'succeeded', 'failed', found 'done'" },
        { Completed, """{"outcome":"succeeded","outputs":["s3://x"]}""", "outputs[0]: must be 'sha256:' followed by 64 lowercase hex digits" },

        // Proof.
        { Proof, $$"""{"checkpointSize":0,"checkpointRoot":"{{Root}}","positions":[0],"lineageDigest":"{{D}}"}""", "checkpointSize: must be at least 1, found 0" },
        { Proof, $$"""{"checkpointSize":1.5,"checkpointRoot":"{{Root}}","positions":[0],"lineageDigest":"{{D}}"}""",
            "checkpointSize: must be an integer without fraction or exponent that fits in 64 bits, found 1.5" },
        { Proof, $$"""{"checkpointSize":"9","checkpointRoot":"{{Root}}","positions":[0],"lineageDigest":"{{D}}"}""", "checkpointSize: expected an integer, found a string" },
        { Proof, $$"""{"checkpointSize":9,"checkpointRoot":"AAAA","positions":[0],"lineageDigest":"{{D}}"}""",
            "checkpointRoot: must be the standard base64 encoding (with padding) of a 32-byte hash" },
        { Proof, $$"""{"checkpointSize":9,"checkpointRoot":"{{Root.TrimEnd('=')}}","positions":[0],"lineageDigest":"{{D}}"}""",
            "checkpointRoot: must be the standard base64 encoding (with padding) of a 32-byte hash" },
        { Proof, $$"""{"checkpointSize":9,"checkpointRoot":"{{Root}}","positions":[],"lineageDigest":"{{D}}"}""", "positions: must not be empty" },
        { Proof, $$"""{"checkpointSize":9,"checkpointRoot":"{{Root}}","positions":[3,3],"lineageDigest":"{{D}}"}""", "positions[1]: must be greater than the previous value 3" },
        { Proof, $$"""{"checkpointSize":9,"checkpointRoot":"{{Root}}","positions":[-1],"lineageDigest":"{{D}}"}""", "positions[0]: must be at least 0, found -1" },
        { Proof, $$"""{"checkpointSize":9,"checkpointRoot":"{{Root}}","positions":[9],"lineageDigest":"{{D}}"}""", "positions: position 9 is not inside a checkpoint of size 9" },

        // Denial and halt.
        { Denied, """{"reason":"bored","detail":""}""", "reason: 'bored' is not a known reason code" },
        { Denied, """{"reason":"emitter-reported"}""", "detail: required member is missing" },
        { Halted, """{"reason":"emitter-reported","detail":"x","rejected":{"eventId":"e","type":"t"}}""", "rejected.digest: required member is missing" },
        { Halted, """{"reason":"emitter-reported","detail":"x","rejected":{"eventId":"e","type":"t","digest":"md5:00"}}""",
            "rejected.digest: must be 'sha256:' followed by 64 lowercase hex digits" },
        { Halted, """{"reason":"emitter-reported","detail":"x","rejected":[]}""", "rejected: expected an object, found an array" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Invalid_data_is_refused_with_the_offending_path(string type, string json, string expected) =>
        Errors(type, json).ShouldContain(e => e.StartsWith(expected, StringComparison.Ordinal), $"expected an error starting '{expected}'");

    [Fact]
    public void Every_problem_is_reported_at_once() =>
        Errors(Intent, """{"executionId":"","actor":1,"resources":[],"requestedScope":["a"],"targetDomains":["aws"],"parent":null,"x":true}""")
            .Count.ShouldBe(5);

    [Theory]
    [InlineData(3)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(40)]
    public void Duplicate_and_unknown_members_are_named_in_objects_of_any_size(int extra)
    {
        // Past 16 members, duplicates are found through a set instead of a scan: the verdicts must not change.
        var members = string.Concat(Enumerable.Range(0, extra).Select(i => $",\"x{i}\":{i}"));
        var errors = Errors(Started, "{\"runtimeNode\":\"n\"" + members + ",\"x0\":0,\"runtimeNode\":\"m\"}");

        errors.ShouldContain("runtimeNode: duplicate member");
        errors.ShouldContain("x0: duplicate member");
        errors.Count(e => e.EndsWith(": duplicate member", StringComparison.Ordinal)).ShouldBe(2);
        errors.Count(e => e.EndsWith(": unknown member", StringComparison.Ordinal)).ShouldBe(extra + 1);
        errors.ShouldContain($"x{extra - 1}: unknown member");
    }

    [Fact]
    public void Rejected_evidence_may_be_absent_or_null()
    {
        ExecutionEventCodec.TryParse(Denied, Json("""{"reason":"emitter-reported","detail":"x"}"""), out var absent, out _).ShouldBeTrue();
        ExecutionEventCodec.TryParse(Denied, Json("""{"reason":"emitter-reported","detail":"x","rejected":null}"""), out var nulled, out _).ShouldBeTrue();

        absent.ShouldBe(new ExecutionDenied(Reason.EmitterReported, "x"));
        nulled.ShouldBe(new ExecutionDenied(Reason.EmitterReported, "x"));
    }

    [Fact]
    public void An_intent_with_a_parent_reads_the_reference()
    {
        var json = ValidIntent.Replace("null}", "{\"ledger\":\"ledger.example/azure\",\"executionId\":\"p-9\"}}", StringComparison.Ordinal);

        ExecutionEventCodec.TryParse(Intent, Json(json), out var parsed, out _).ShouldBeTrue();

        parsed.ShouldBeOfType<IntentDeclared>().Parent.ShouldBe(new ParentRef("ledger.example/azure", ExecutionId.Parse("p-9")));
    }
}
