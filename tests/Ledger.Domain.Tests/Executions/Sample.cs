using System.Security.Cryptography;
using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;

namespace Ledger.Domain.Tests.Executions;

/// <summary>One recorded event of a history: the event, its recordedAt and its envelope domain.</summary>
internal sealed record Recorded(IExecutionEvent Event, DateTimeOffset At, string Domain = Sample.Origin);

/// <summary>
/// A standard execution and its timeline. Intent at T0, governance at T0+1m (synced T0+30s),
/// authorization at T0+2m valid [T0+2m, T0+2h], runtime trust at T0+3m, start at T0+4m.
/// With the default parameters a verification is due by T0+9m and the intent had to start by T0+1h.
/// </summary>
internal static class Sample
{
    public const string Origin = "aws";
    public const string Partner = "azure";
    public const string Outsider = "gcp";
    public const string Actor = "spiffe://aws.example/ns/jobs/sa/runner";
    public const string LedgerOrigin = "ledger.example/aws";

    public static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly ExecutionId Id = ExecutionId.Parse("exec-1");
    public static readonly ExecutionId ParentId = ExecutionId.Parse("parent-1");
    public static readonly string PolicyDigest = Digest('p');
    public static readonly string Measurement = Digest('m');
    public static readonly string SubmissionDigest = Digest('d');

    public static LedgerParameters DefaultParameters => LedgerParameters.Default;

    public static DateTimeOffset At(int minutes, int seconds = 0) => T0.AddMinutes(minutes).AddSeconds(seconds);

    /// <summary>A distinct, well-formed digest per character.</summary>
    public static string Digest(char c) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData([(byte)c]));

    public static IntentDeclared Intent(ExecutionId? id = null, ParentRef? parent = null, IReadOnlyList<string>? targets = null) =>
        new(id ?? Id, Actor, "deploy", ["s3://bucket/app"], ["read", "write", "exec"], targets ?? [Origin, Partner], parent);

    public static ParentRef ParentRef(ExecutionId? id = null) => new(LedgerOrigin, id ?? ParentId);

    public static GovernanceSynchronized Governance(DateTimeOffset? syncedAt = null) =>
        new("policy-7", PolicyDigest,
        [
            new SyncedDomain(Origin, PolicyDigest, syncedAt ?? At(0, 30)),
            new SyncedDomain(Partner, PolicyDigest, syncedAt ?? At(0, 30)),
        ]);

    public static AuthorizationIssued Authorization(
        IReadOnlyList<string>? scope = null, DateTimeOffset? notBefore = null, DateTimeOffset? expiresAt = null, string issuer = Origin) =>
        new("authz-1", issuer, scope ?? ["read", "write"], notBefore ?? At(2), expiresAt ?? At(120), Digest('a'));

    public static RuntimeTrustEstablished Trust(string workload = Actor, TrustVerdict verdict = TrustVerdict.Trusted, string? measurement = null) =>
        new(workload, "tpm", measurement ?? Measurement, "attestor.aws.example", verdict);

    public static ExecutionStarted Start() => new("node-17");

    public static RuntimeVerified Verified(string? measurement = null, VerificationVerdict verdict = VerificationVerdict.Ok) =>
        new(measurement ?? Measurement, verdict);

    public static ExecutionCompleted Completed(ExecutionOutcome outcome = ExecutionOutcome.Succeeded) => new(outcome, [Digest('o')]);

    public static ProofPersisted Proof() => new(42, Convert.ToBase64String(new byte[32]), [3, 4, 5], Digest('l'));

    /// <summary>The standard history up to and including the event that reaches <paramref name="status"/>.</summary>
    public static Recorded[] UpTo(ExecutionStatus status, ExecutionId? id = null, ParentRef? parent = null)
    {
        Recorded[] all =
        [
            new(Intent(id, parent), T0),
            new(Governance(), At(1)),
            new(Authorization(), At(2)),
            new(Trust(), At(3)),
            new(Start(), At(4)),
        ];
        var count = status switch
        {
            ExecutionStatus.None => 0,
            ExecutionStatus.Declared => 1,
            ExecutionStatus.Governed => 2,
            ExecutionStatus.Authorized => 3,
            ExecutionStatus.Trusted => 4,
            ExecutionStatus.Running => 5,
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "use a non-terminal status"),
        };
        return all[..count];
    }

    /// <summary>A running execution verified once at T0+6m.</summary>
    public static Recorded[] RunningVerified(ExecutionId? id = null, ParentRef? parent = null) =>
        [.. UpTo(ExecutionStatus.Running, id, parent), new(Verified(), At(6))];

    /// <summary>A completed execution (verified at T0+6m, completed at T0+7m).</summary>
    public static Recorded[] CompletedHistory(ExecutionId? id = null) =>
        [.. RunningVerified(id), new(Completed(), At(7))];

    public static ExecutionState State(IEnumerable<Recorded> history, ExecutionId? id = null) =>
        Execution.Replay(id ?? Id, history.Select(r => (r.Event, r.At, r.Domain)));

    /// <summary>A running root parent with scope [read, write] valid until T0+2h.</summary>
    public static ExecutionState RunningParent() => State(UpTo(ExecutionStatus.Running, ParentId), ParentId);

    public static Submission SubmissionOf(IExecutionEvent @event, string domain = Origin, string eventId = "evt-under-test") =>
        Submission.For(@event, eventId, SubmissionDigest, "emitter-" + domain, domain);
}
