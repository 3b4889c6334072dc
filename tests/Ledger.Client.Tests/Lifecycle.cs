using Ledger.Domain.Executions;

namespace Ledger.Client.Tests;

/// <summary>The typed events of one valid execution in domain <c>aws</c>, timed around <paramref name="now"/>.</summary>
public sealed class Lifecycle(string executionId, DateTimeOffset now)
{
    public const string Domain = "aws";
    public const string Digest = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    public const string Measurement = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string Actor = "spiffe://aws.example/ns/jobs/sa/runner";

    public ExecutionId Id { get; } = ExecutionId.Parse(executionId);

    public LifecycleEvent Intent(IReadOnlyList<string>? scope = null) => Event("intent",
        new IntentDeclared(Id, Actor, "deploy", ["bucket/a"], scope ?? ["s3:read", "s3:write"], [Domain], null));

    public LifecycleEvent Governance() => Event("governance",
        new GovernanceSynchronized("policy-1", Digest, [new SyncedDomain(Domain, Digest, now.AddMinutes(-1))]));

    public LifecycleEvent Authorization(IReadOnlyList<string>? granted = null) => Event("authorization",
        new AuthorizationIssued("authz-1", Domain, granted ?? ["s3:read"], now.AddMinutes(-1), now.AddMinutes(60), Digest));

    public LifecycleEvent Trust() => Event("trust", new RuntimeTrustEstablished(Actor, "tpm", Measurement, "attestor", TrustVerdict.Trusted));

    public LifecycleEvent Started() => Event("start", new ExecutionStarted("node-1"));

    public LifecycleEvent Verified(int n = 1, string measurement = Measurement) =>
        Event("verified-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture), new RuntimeVerified(measurement, VerificationVerdict.Ok));

    public LifecycleEvent Completed() => Event("completed", new ExecutionCompleted(ExecutionOutcome.Succeeded, [Digest]));

    public IReadOnlyList<LifecycleEvent> UpToStart() => [Intent(), Governance(), Authorization(), Trust(), Started()];

    private LifecycleEvent Event(string suffix, IExecutionEvent @event) =>
        new(executionId + "-" + suffix, Domain, @event) { OccurredAt = now };
}
