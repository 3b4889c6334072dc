using Ledger.Domain.Crypto;
using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;

namespace Ledger.Verifier.Tests.Building;

/// <summary>
/// Lifecycles to fill a <see cref="TestLog"/> with: the phases in order, a refusal, a parent halted with its
/// descendants cascaded, silent executions swept, proofs persisted, checkpoints along the way.
/// </summary>
internal sealed class Scenario : IDisposable
{
    public const string Aws = "aws";
    public const string Azure = "azure";
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
    public static readonly string Measurement = "sha256:" + new string('a', 64);
    public static readonly string Policy = "sha256:" + new string('b', 64);

    public Scenario(TestLog log, bool signed)
    {
        Log = log;
        AwsEmitter = new TestEmitter("aws-emitter", signed ? SigningKey.GenerateEcdsaP256() : null);
        AzureEmitter = new TestEmitter("azure-emitter", signed ? SigningKey.GenerateEcdsaP256() : null);
        Signed = signed;
    }

    public TestLog Log { get; }

    public TestEmitter AwsEmitter { get; }

    public TestEmitter AzureEmitter { get; }

    public bool Signed { get; }

    /// <summary>The standard log: configuration, emitters, then executions of every kind, checkpointed every few entries.</summary>
    public static Scenario Standard(TestLog log, bool signed = true)
    {
        var s = new Scenario(log, signed);
        s.Setup(T0);
        s.Completed(Id("a1"), T0.AddMinutes(1), verifications: 3, parent: null);
        log.Checkpoint();

        // Measurement drift: the ledger refuses the verification and halts the execution.
        s.RunUntilStarted(Id("b1"), T0.AddMinutes(13), parent: null);
        s.Submit(Id("b1"), new RuntimeVerified("sha256:" + new string('c', 64), VerificationVerdict.Ok), T0.AddMinutes(19));
        log.Checkpoint();

        // A parent with a running child and a declared child; the child has a running grandchild. The parent is halted.
        var p = T0.AddMinutes(20);
        s.RunUntilStarted(Id("p1"), p, parent: null);
        s.RunUntilStarted(Id("c1"), p.AddMinutes(5), parent: Id("p1"));
        s.Submit(Id("c2"), s.Intent(Id("c2"), Id("p1")), p.AddMinutes(10));
        s.RunUntilStarted(Id("g1"), p.AddMinutes(10), parent: Id("c1"));
        s.Submit(Id("p1"), new ExecutionHalted(Reason.EmitterReported, "operator stop"), p.AddMinutes(15));
        log.Checkpoint();

        // Silence: one started and never verified, one declared and never started; the sweep ends both.
        s.RunUntilStarted(Id("s1"), p.AddMinutes(16), parent: null);
        s.Submit(Id("i1"), s.Intent(Id("i1"), null), p.AddMinutes(20));
        log.Sweep(p.AddMinutes(100));
        log.Checkpoint();
        log.PersistProof(Id("a1"), p.AddMinutes(101));
        s.Completed(Id("a2"), p.AddMinutes(102), verifications: 1, parent: null);
        log.Checkpoint();
        return s;
    }

    public static ExecutionId Id(string id) => ExecutionId.Parse(id);

    public void Setup(DateTimeOffset at)
    {
        Log.Configure(LedgerParameters.Default, at);
        Log.Register(AwsEmitter, [Aws], signaturesRequired: Signed, at);
        Log.Register(AzureEmitter, [Azure], signaturesRequired: false, at);
    }

    public IntentDeclared Intent(ExecutionId id, ExecutionId? parent, string action = "deploy") =>
        new(id, "spiffe://aws.example/ns/jobs/sa/" + id, action, ["s3://bucket/" + id], ["read", "write"], [Aws, Azure],
            parent is null ? null : new ParentRef(Log.Origin, parent.Value));

    public Decision Submit(ExecutionId id, IExecutionEvent @event, DateTimeOffset at, bool azure = false) =>
        Log.Submit(azure ? AzureEmitter : AwsEmitter, azure ? Azure : Aws, id, @event, at);

    /// <summary>Intent, governance, authorization (2h, scope read), runtime trust, start: five events over four minutes.</summary>
    public void RunUntilStarted(ExecutionId id, DateTimeOffset at, ExecutionId? parent, string action = "deploy")
    {
        Expect(Submit(id, Intent(id, parent, action), at));
        Expect(Submit(id, new GovernanceSynchronized("policy-1", Policy,
            [new SyncedDomain(Aws, Policy, at), new SyncedDomain(Azure, Policy, at)]), at.AddMinutes(1), azure: true));
        var expires = parent is { } p ? Log.Executions[p].ExpiresAt!.Value : at.AddHours(2);
        Expect(Submit(id, new AuthorizationIssued("authz-" + id, Aws, ["read"], at.AddMinutes(1), expires, Policy), at.AddMinutes(2)));
        Expect(Submit(id, new RuntimeTrustEstablished("spiffe://aws.example/ns/jobs/sa/" + id, "tpm", Measurement, "attestor", TrustVerdict.Trusted), at.AddMinutes(3)));
        Expect(Submit(id, new ExecutionStarted("node-1"), at.AddMinutes(4)));
    }

    /// <summary>A whole lifecycle: started, verified every two minutes, completed.</summary>
    public DateTimeOffset Completed(ExecutionId id, DateTimeOffset at, int verifications, ExecutionId? parent)
    {
        RunUntilStarted(id, at, parent);
        var t = at.AddMinutes(4);
        for (var i = 0; i < verifications; i++)
        {
            t = t.AddMinutes(2);
            Expect(Submit(id, new RuntimeVerified(Measurement, VerificationVerdict.Ok), t));
        }

        Expect(Submit(id, new ExecutionCompleted(ExecutionOutcome.Succeeded, ["sha256:" + new string('d', 64)]), t.AddMinutes(1)));
        return t.AddMinutes(1);
    }

    public void Dispose()
    {
        AwsEmitter.Key?.Dispose();
        AzureEmitter.Key?.Dispose();
    }

    private static void Expect(Decision decision)
    {
        if (decision is not Decision.Accepted)
        {
            throw new InvalidOperationException("The scenario expected the event to be accepted: " + decision);
        }
    }
}
