using Ledger.Domain.Access;
using System.Text.Json;
using Ledger.Domain.Emitters;
using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;
using Ledger.Domain.Federation;
using Ledger.Domain.Publications;
using Ledger.Domain.Witnessing;

namespace Ledger.Domain.Tests.Events;

/// <summary>
/// Pins the data of one instance of every event type, byte for byte, so that a change of wire
/// format shows up in review. A change here means a new event version, not an edit.
/// </summary>
public sealed class EventApprovalTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string A = "sha256:" + new string('a', 64);
    private static readonly string B = "sha256:" + new string('b', 64);

    public static TheoryData<string, string> Approved => new()
    {
        {
            "execution.intent-declared.v1",
            """{"executionId":"exec-1","actor":"spiffe://aws.example/ns/jobs/sa/runner","action":"deploy","resources":["s3://bucket/app"],"requestedScope":["read","write"],"targetDomains":["aws","azure"],"parent":{"ledger":"ledger.example/aws","executionId":"parent-1"}}"""
        },
        {
            "execution.governance-synchronized.v1",
            """{"policyId":"policy-7","policyDigest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","syncedDomains":[{"domain":"aws","policyDigest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","syncedAt":"2025-01-01T00:00:30.000000Z"}]}"""
        },
        {
            "execution.authorization-issued.v1",
            """{"authorizationId":"authz-1","issuer":"aws","grantedScope":["read"],"notBefore":"2025-01-01T00:02:00.000000Z","expiresAt":"2025-01-01T02:00:00.250000Z","artifactDigest":"sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}"""
        },
        {
            "execution.runtime-trust-established.v1",
            """{"workload":"spiffe://aws.example/ns/jobs/sa/runner","attestationType":"tpm","measurement":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","verifier":"attestor.aws.example","verdict":"trusted"}"""
        },
        { "execution.started.v1", """{"runtimeNode":"node-17"}""" },
        { "execution.runtime-verified.v1", """{"measurement":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","verdict":"ok"}""" },
        { "execution.completed.v1", """{"outcome":"succeeded","outputs":["sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"]}""" },
        {
            "execution.proof-persisted.v1",
            """{"checkpointSize":42,"checkpointRoot":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","positions":[3,4,5],"lineageDigest":"sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}"""
        },
        { "execution.denied.v1", """{"reason":"emitter-reported","detail":"operator cancelled"}""" },
        {
            "execution.halted.v1",
            """{"reason":"measurement-drift","detail":"measured sha256:b","rejected":{"eventId":"evt-9","type":"execution.runtime-verified.v1","digest":"sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}}"""
        },
        {
            "emitter.registered.v1",
            """{"name":"aws-gateway","domains":["aws"],"publicKey":"ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","signaturesRequired":true}"""
        },
        { "emitter.revoked.v1", """{"name":"aws-gateway","reason":"key compromised"}""" },
        { "token.minted.v1", """{"tokenId":"0123456789abcdef","subject":"aws-gateway","role":"emitter","secretHash":"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","expiresAt":"2026-12-01T00:00:00.000000Z"}""" },
        { "token.revoked.v1", """{"tokenId":"0123456789abcdef","reason":"rotated"}""" },
        {
            "witness.checkpoint-cosigned.v1",
            """{"origin":"example.com/log","size":3,"root":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","cosignedAt":1700000000,"note":"example.com/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— example.com/log AAAAAQE=\n"}"""
        },
        {
            "federation.split-view-detected.v1",
            """{"origin":"example.com/log","kind":"same-size-different-root","heldNote":"example.com/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— example.com/log AAAAAQE=\n","conflictingNote":"example.com/log\n3\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n\n— example.com/log AAAAAQI=\n","proof":[],"source":"witness-submission"}"""
        },
        {
            "federation.governance-attested.v1",
            """{"ledger":"ledger.example/azure","attestationDigest":"sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","checkpoint":"example.com/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— example.com/log AAAAAQE=\n","checkpointSize":7,"streamVersion":3,"homeDomains":["azure","azure.edge"],"domains":["azure"],"publications":[{"domain":"azure","policyId":"policy-7","policyDigest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","position":5,"publishedAt":"2025-01-01T00:01:00.000000Z"}],"attestedAt":"2025-01-01T00:09:00.000000Z"}"""
        },
        {
            "federation.parent-attested.v1",
            """{"ledger":"ledger.example/aws","executionId":"parent-1","attestationDigest":"sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","checkpoint":"example.com/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— example.com/log AAAAAQE=\n","checkpointSize":3,"streamVersion":5,"status":"running","grantedScope":["read","write"],"expiresAt":"2025-01-01T02:00:00.000000Z","attestedAt":"2025-01-01T00:09:00.000000Z"}"""
        },
        { "governance.policy-published.v1", """{"domain":"aws","policyId":"policy-7","policyDigest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""" },
        { "governance.homes-configured.v1", """{"homeDomains":["aws","aws.edge"]}""" },
        { "ledger.policy-configured.v1", """{"maxPolicyAge":"PT24H","maxAuthorizationTtl":"PT24H","maxVerificationInterval":"PT5M","intentTtl":"PT1H"}""" },
    };

    private const string Note = "example.com/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 example.com/log AAAAAQE=\n";
    private const string OtherNote = "example.com/log\n3\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n\n\u2014 example.com/log AAAAAQI=\n";

    private static JsonElement Data(string type) => type switch
    {
        "execution.intent-declared.v1" => ExecutionEventCodec.ToData(new IntentDeclared(
            ExecutionId.Parse("exec-1"), "spiffe://aws.example/ns/jobs/sa/runner", "deploy", ["s3://bucket/app"], ["read", "write"], ["aws", "azure"],
            new ParentRef("ledger.example/aws", ExecutionId.Parse("parent-1")))),
        "execution.governance-synchronized.v1" => ExecutionEventCodec.ToData(new GovernanceSynchronized("policy-7", A, [new SyncedDomain("aws", A, T0.AddSeconds(30))])),
        "execution.authorization-issued.v1" => ExecutionEventCodec.ToData(new AuthorizationIssued(
            "authz-1", "aws", ["read"], T0.AddMinutes(2), T0.AddHours(2).AddMilliseconds(250), B)),
        "execution.runtime-trust-established.v1" => ExecutionEventCodec.ToData(new RuntimeTrustEstablished(
            "spiffe://aws.example/ns/jobs/sa/runner", "tpm", A, "attestor.aws.example", TrustVerdict.Trusted)),
        "execution.started.v1" => ExecutionEventCodec.ToData(new ExecutionStarted("node-17")),
        "execution.runtime-verified.v1" => ExecutionEventCodec.ToData(new RuntimeVerified(A, VerificationVerdict.Ok)),
        "execution.completed.v1" => ExecutionEventCodec.ToData(new ExecutionCompleted(ExecutionOutcome.Succeeded, [B])),
        "execution.proof-persisted.v1" => ExecutionEventCodec.ToData(new ProofPersisted(42, Convert.ToBase64String(new byte[32]), [3, 4, 5], B)),
        "execution.denied.v1" => ExecutionEventCodec.ToData(new ExecutionDenied(Reason.EmitterReported, "operator cancelled")),
        "execution.halted.v1" => ExecutionEventCodec.ToData(new ExecutionHalted(
            Reason.MeasurementDrift, "measured sha256:b", new RejectedEvent("evt-9", "execution.runtime-verified.v1", B))),
        "emitter.registered.v1" => EmitterEventCodec.ToData(new EmitterRegistered("aws-gateway", ["aws"], "ed25519:" + Convert.ToBase64String(new byte[32]), true)),
        "emitter.revoked.v1" => EmitterEventCodec.ToData(new EmitterRevoked("aws-gateway", "key compromised")),
        "token.minted.v1" => AccessEventCodec.ToData(new TokenMinted(
            "0123456789abcdef", "aws-gateway", "emitter", "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero))),
        "token.revoked.v1" => AccessEventCodec.ToData(new TokenRevoked("0123456789abcdef", "rotated")),
        "ledger.policy-configured.v1" => LedgerParametersCodec.ToData(PolicyConfigured.From(LedgerParameters.Default)),
        "witness.checkpoint-cosigned.v1" => WitnessEventCodec.ToData(new CheckpointCosigned("example.com/log", 3, Convert.ToBase64String(new byte[32]), 1700000000, Note)),
        "federation.split-view-detected.v1" => FederationEventCodec.ToData(new SplitViewDetected(
            "example.com/log", SplitViewKind.SameSizeDifferentRoot, Note, OtherNote, [], WitnessRules.SubmissionSource)),
        "federation.governance-attested.v1" => ExecutionEventCodec.ToData(new GovernanceAttested(
            "ledger.example/azure", B, Note, 7, 3, ["azure", "azure.edge"], ["azure"], [new Publication("azure", "policy-7", A, 5, T0.AddMinutes(1))], T0.AddMinutes(9))),
        "federation.parent-attested.v1" => ExecutionEventCodec.ToData(new ParentAttested(
            "ledger.example/aws", ExecutionId.Parse("parent-1"), B, Note, 3, 5, ExecutionStatus.Running, ["read", "write"], T0.AddHours(2), T0.AddMinutes(9))),
        "governance.policy-published.v1" => GovernanceEventCodec.ToData(new PolicyPublished("aws", "policy-7", A)),
        "governance.homes-configured.v1" => GovernanceEventCodec.ToData(new HomesConfigured(["aws", "aws.edge"])),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no sample"),
    };

    [Theory]
    [MemberData(nameof(Approved))]
    public void Event_data_matches_the_approved_bytes(string type, string approved)
    {
        Data(type).GetRawText().ShouldBe(approved);
    }

    [Fact]
    public void Every_wire_named_type_has_an_approved_sample() =>
        Approved.Select(row => (string)row[0]).Order(StringComparer.Ordinal)
            .ShouldBe(EventTypeArchitectureTests.WireNamedTypes().Select(t => t.Name).Order(StringComparer.Ordinal));
}
