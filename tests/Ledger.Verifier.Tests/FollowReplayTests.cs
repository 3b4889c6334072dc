using Ledger.Domain.Bundles;
using Ledger.Domain.Executions;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>
/// What the follow job appends to a child of a remote parent (DESIGN §8.2, FORMAT §10.5): the replay accepts an end
/// justified by the log (an attestation of the ended parent just before a parent-halted; a federation-sync-lost past
/// maxPeerSilence of the last attestation) and flags one that is not.
/// </summary>
public sealed class FollowReplayTests : IDisposable
{
    private static readonly ParentRef Remote = new("peer.example/ledger", ExecutionId.Parse("remote-parent"));
    private readonly TestLog _log = new();
    private readonly Scenario _s;

    public FollowReplayTests()
    {
        _s = new Scenario(_log, signed: true);
        _s.Setup(T0);
    }

    public void Dispose()
    {
        _s.Dispose();
        _log.Dispose();
    }

    private static ParentAttested Attested(ExecutionStatus status, DateTimeOffset at) =>
        new(Remote.Ledger, Remote.ExecutionId, "sha256:" + new string(status == ExecutionStatus.Running ? '1' : '2', 64),
            "peer.example/ledger\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 peer.example/ledger AAAAAQE=\n", 3, 5, status, ["read"], T0.AddHours(2), at);

    /// <summary>A child under <see cref="Remote"/>, started at T0+4m with the parent attested at its intent and its start.</summary>
    private ExecutionId RunningRemoteChild(string name)
    {
        var id = Id(name);
        _log.AppendLedgerEvent(id, Attested(ExecutionStatus.Running, T0), T0, Aws);
        Expect(_s.Submit(id, new IntentDeclared(id, "spiffe://aws.example/ns/jobs/sa/" + id, "deploy", ["s3://bucket/" + id], ["read"], [Aws, Azure], Remote), T0));
        Expect(_s.Submit(id, new GovernanceSynchronized("policy-1", Policy, [new SyncedDomain(Aws, Policy, T0), new SyncedDomain(Azure, Policy, T0)]), T0.AddMinutes(1)));
        Expect(_s.Submit(id, new AuthorizationIssued("authz-" + id, Aws, ["read"], T0.AddMinutes(1), T0.AddHours(2), Policy), T0.AddMinutes(2)));
        Expect(_s.Submit(id, new RuntimeTrustEstablished("spiffe://aws.example/ns/jobs/sa/" + id, "tpm", Measurement, "attestor", TrustVerdict.Trusted), T0.AddMinutes(3)));
        _log.AppendLedgerEvent(id, Attested(ExecutionStatus.Running, T0.AddMinutes(4)), T0.AddMinutes(4), Aws);
        Expect(_s.Submit(id, new ExecutionStarted("node-1"), T0.AddMinutes(4)));
        _log.Executions[id].Status.ShouldBe(ExecutionStatus.Running);
        return id;
    }

    private static void Expect(Decision decision) => decision.ShouldBeOfType<Decision.Accepted>();

    private async Task<VerificationReport> VerifyAsync()
    {
        _log.Checkpoint();
        return Harness.Verify(await _log.FullBundleAsync(), _log);
    }

    [Fact]
    public async Task A_child_ended_after_an_attestation_of_its_remote_parents_halt_and_one_ended_for_silence_verify()
    {
        var halted = RunningRemoteChild("halted-child");
        _log.AppendLedgerEvent(halted, Attested(ExecutionStatus.Halted, T0.AddMinutes(6)), T0.AddMinutes(6), Aws);
        _log.AppendLedgerEvent(halted, new ExecutionHalted(Reason.ParentHalted, "parent halted on peer.example/ledger"), T0.AddMinutes(6), Aws);
        var silent = RunningRemoteChild("silent-child");
        _log.AppendLedgerEvent(silent, new ExecutionHalted(Reason.FederationSyncLost, "no attestation for maxPeerSilence"), T0.AddMinutes(9).AddSeconds(1), Aws);

        var report = await VerifyAsync();

        report.Outcome.ShouldBe(VerificationOutcome.Valid, report.Describe());
    }

    [Fact]
    public async Task A_remote_parent_halted_end_without_an_attestation_of_the_end_is_unjustified()
    {
        var child = RunningRemoteChild("unproven-child");
        var halt = _log.AppendLedgerEvent(child, new ExecutionHalted(Reason.ParentHalted, "trust me"), T0.AddMinutes(6), Aws);

        (await VerifyAsync()).ShouldFailAt("lifecycle.unjustified-ledger-event", halt.Position);
    }

    [Fact]
    public async Task A_federation_sync_lost_end_within_max_peer_silence_of_the_last_attestation_is_unjustified()
    {
        var child = RunningRemoteChild("hasty-child");
        var halt = _log.AppendLedgerEvent(child, new ExecutionHalted(Reason.FederationSyncLost, "too soon"), T0.AddMinutes(8), Aws);

        (await VerifyAsync()).ShouldFailAt("lifecycle.unjustified-ledger-event", halt.Position);
    }
}
