using Ledger.Domain.Executions;

namespace Ledger.Api.OpenApi;

/// <summary>
/// One event of every execution event type, for the OpenAPI document's examples. Each is written by the Domain's own
/// codec (which refuses data it would not read back), so an example can never drift from the wire format.
/// </summary>
internal static class EventExamples
{
    public const string ExecutionId = "exec-2026-0042";

    private const string Actor = "spiffe://aws-eu.ledger.test/ns/payments/sa/settlement";
    private const string PolicyDigest = "sha256:6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b";
    private const string Measurement = "sha256:d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35";
    private const string OutputDigest = "sha256:4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce";
    private const string Root = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=";
    private const string PeerOrigin = "ledger.azure-we.test/log";

    private static readonly DateTimeOffset At = new(2026, 3, 14, 9, 30, 0, TimeSpan.Zero);

    /// <summary>The example of a policy publication (<c>$governance</c>).</summary>
    public static Domain.Publications.PolicyPublished Publication { get; } = new("aws-eu", "payments-policy-7", PolicyDigest);

    /// <summary>The example of every execution event type, by CLR type.</summary>
    public static IReadOnlyDictionary<Type, IExecutionEvent> ByType { get; } = new IExecutionEvent[]
    {
        new IntentDeclared(
            Domain.Executions.ExecutionId.Parse(ExecutionId), Actor, "settle-batch", ["s3://payments-eu/batches/2026-03-14"],
            ["payments:settle", "payments:read"], ["aws-eu", "azure-we"], null),
        new GovernanceSynchronized("payments-policy-7", PolicyDigest, [new SyncedDomain("aws-eu", PolicyDigest, At), new SyncedDomain("azure-we", PolicyDigest, At)]),
        new AuthorizationIssued("authz-5521", "aws-eu", ["payments:settle"], At, At.AddMinutes(30), OutputDigest),
        new RuntimeTrustEstablished(Actor, "sev-snp", Measurement, "attestation.aws-eu.ledger.test", TrustVerdict.Trusted),
        new ExecutionStarted("eu-west-1a/node-17"),
        new RuntimeVerified(Measurement, VerificationVerdict.Ok),
        new ExecutionCompleted(ExecutionOutcome.Succeeded, [OutputDigest]),
        new ProofPersisted(128, Root, [17, 18, 20, 23, 31, 40, 52], PolicyDigest),
        new ExecutionDenied(Reason.AuthorizationScopeExceeded, "grantedScope 'payments:admin' is not in requestedScope",
            new RejectedEvent("evt-authz-5521", "execution.authorization-issued.v1", OutputDigest)),
        new ExecutionHalted(Reason.MeasurementDrift, "the measurement changed since runtime trust was established",
            new RejectedEvent("evt-verify-9", "execution.runtime-verified.v1", Measurement)),
        new ParentAttested(
            PeerOrigin, Domain.Executions.ExecutionId.Parse("exec-parent-7"), PolicyDigest,
            $"{PeerOrigin}\n40\n{Root}\n\n\u2014 {PeerOrigin} glTDKQBz7CZtT7Stvz0QSqcU+fEQMv2KttiCn8QLUshvZIXXkozC69Rkbz/j83S+EdkFv0vidfqG84idgqn33F5B3TI=\n",
            40, 5, ExecutionStatus.Running, ["payments:settle", "payments:read"], At.AddHours(1), At),
        new GovernanceAttested(
            PeerOrigin, OutputDigest,
            $"{PeerOrigin}\n40\n{Root}\n\n\u2014 {PeerOrigin} glTDKQBz7CZtT7Stvz0QSqcU+fEQMv2KttiCn8QLUshvZIXXkozC69Rkbz/j83S+EdkFv0vidfqG84idgqn33F5B3TI=\n",
            40, 3, ["azure-we"], ["azure-we"], [new Domain.Publications.Publication("azure-we", "payments-policy-7", PolicyDigest, 31, At.AddHours(-2))], At),
    }.ToDictionary(e => e.GetType());
}
