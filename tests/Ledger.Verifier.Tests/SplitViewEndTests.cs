using Ledger.Domain.Crypto;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Notes;
using Ledger.Domain.Witnessing;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>
/// A <c>peer-split-view</c> end of a child of a remote parent rests on the <c>federation.split-view-detected.v1</c> the
/// ledger recorded in <c>$federation</c> before it (FORMAT §10.5): the verifier checks that it is there, names the parent's
/// ledger and shows two views.
/// </summary>
public sealed class SplitViewEndTests : IDisposable
{
    private const string AwsOrigin = "aws.example/ledger";
    private const string AzureOrigin = "azure.example/ledger";
    private static readonly ExecutionId Parent = Id("p1");
    private static readonly ExecutionId Child = Id("c1");
    private readonly NoteSigner _aws = NoteSigner.Create(AwsOrigin, SigningKey.GenerateEd25519());
    private readonly TestLog _log = new(AzureOrigin, NoteSigner.Create(AzureOrigin, SigningKey.GenerateEd25519()));

    public void Dispose()
    {
        _log.Dispose();
        _aws.Dispose();
    }

    [Fact]
    public async Task An_end_after_the_split_view_record_of_the_parents_ledger_is_accepted()
    {
        ChildThenEnd(SplitView(AwsOrigin, differentRoots: true));

        var report = Harness.Verify(await _log.FullBundleAsync(), _log.VerifierKey);

        report.Outcome.ShouldBe(VerificationOutcome.Valid, report.Describe());
        report.Warnings.ShouldNotContain(w => w.Code.StartsWith("federation.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_end_without_a_split_view_record_before_it_is_unproven()
    {
        ChildThenEnd(null);

        var report = Harness.Verify(await _log.FullBundleAsync(), _log.VerifierKey);

        report.Failures.ShouldContain(f => f.Code == "federation.split-view-unproven", report.Describe());
    }

    [Fact]
    public async Task A_split_view_record_of_another_ledger_does_not_justify_the_end()
    {
        ChildThenEnd(SplitView("gcp.example/ledger", differentRoots: true));

        var report = Harness.Verify(await _log.FullBundleAsync(), _log.VerifierKey);

        report.Failures.ShouldContain(f => f.Code == "federation.split-view-unproven", report.Describe());
    }

    [Fact]
    public async Task A_split_view_record_whose_checkpoints_agree_is_invalid_evidence()
    {
        ChildThenEnd(SplitView(AwsOrigin, differentRoots: false));

        var report = Harness.Verify(await _log.FullBundleAsync(), _log.VerifierKey);

        report.Failures.ShouldContain(f => f.Code == "federation.split-view-evidence-invalid", report.Describe());
        report.Failures.ShouldContain(f => f.Code == "federation.split-view-unproven");
    }

    [Fact]
    public async Task A_lineage_bundle_that_does_not_hold_federation_reports_the_end_not_checked()
    {
        ChildThenEnd(SplitView(AwsOrigin, differentRoots: true));

        var report = Harness.Verify(await _log.LineageBundleAsync(Child), _log.VerifierKey);

        report.Outcome.ShouldBe(VerificationOutcome.Valid, report.Describe());
        report.Warnings.ShouldContain(w => w.Code == "federation.split-view-not-checked");
    }

    [Fact]
    public async Task With_the_origins_key_both_views_signatures_are_checked()
    {
        ChildThenEnd(SplitView(AwsOrigin, differentRoots: true));

        var result = Harness.Cli(await _log.FullBundleAsync(), "--trust", _log.VerifierKey, "--trust", _aws.Verifier.VerifierKey, "--json");

        var federation = result.Json.GetProperty("federation");
        federation.GetProperty("splitViewRecords").GetInt64().ShouldBe(1, result.Stdout);
        federation.GetProperty("splitViewsChecked").GetInt64().ShouldBe(1);
        Codes(federation).ShouldNotContain("federation.split-view-evidence-invalid");
        Codes(federation).ShouldNotContain("federation.peer-not-trusted");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_view_the_origins_key_did_not_sign_makes_the_record_invalid_evidence(bool forgeConflicting)
    {
        using var impostor = NoteSigner.Create(AwsOrigin, SigningKey.GenerateEd25519());
        ChildThenEnd(SplitView(AwsOrigin, differentRoots: true, conflictingSigner: forgeConflicting ? impostor : null, heldSigner: forgeConflicting ? null : impostor));

        var result = Harness.Cli(await _log.FullBundleAsync(), "--trust", _log.VerifierKey, "--trust", _aws.Verifier.VerifierKey, "--json");

        result.Exit.ShouldBe(1, result.Stdout + result.Stderr);
        result.Json.GetProperty("verdict").GetString().ShouldBe("invalid");
        Harness.Verify(await _log.FullBundleAsync(), _log.VerifierKey).Outcome.ShouldBe(VerificationOutcome.Valid, "the bundle alone cannot tell: only the origin's key can");
        var finding = result.Json.GetProperty("federation").GetProperty("findings").EnumerateArray()
            .Single(f => f.GetProperty("finding").GetProperty("code").GetString() == "federation.split-view-evidence-invalid");
        finding.GetProperty("failure").GetBoolean().ShouldBeTrue();
        finding.GetProperty("ledger").GetString().ShouldBe(AzureOrigin, "the ledger that recorded the evidence is at fault");
        finding.GetProperty("finding").GetProperty("message").GetString()!.ShouldContain(forgeConflicting ? "the conflicting checkpoint" : "the held checkpoint");
    }

    [Fact]
    public async Task Without_the_origins_key_the_views_signatures_are_reported_not_checked()
    {
        ChildThenEnd(SplitView(AwsOrigin, differentRoots: true));

        var result = Harness.Cli(await _log.FullBundleAsync(), "--trust", _log.VerifierKey, "--json");

        result.Exit.ShouldBe(0, result.Stdout);
        var federation = result.Json.GetProperty("federation");
        federation.GetProperty("splitViewRecords").GetInt64().ShouldBe(1);
        federation.GetProperty("splitViewsChecked").GetInt64().ShouldBe(0);
        var warning = federation.GetProperty("findings").EnumerateArray()
            .Single(f => f.GetProperty("finding").GetProperty("message").GetString()!.Contains("split-view record", StringComparison.Ordinal));
        warning.GetProperty("failure").GetBoolean().ShouldBeFalse();
        warning.GetProperty("finding").GetProperty("code").GetString().ShouldBe("federation.peer-not-trusted");
    }

    private static List<string?> Codes(System.Text.Json.JsonElement federation) =>
        [.. federation.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("finding").GetProperty("code").GetString())];

    private SplitViewDetected SplitView(string origin, bool differentRoots, NoteSigner? heldSigner = null, NoteSigner? conflictingSigner = null)
    {
        var held = new Checkpoint(origin, 5, Enumerable.Repeat((byte)1, 32).ToArray()).Sign(heldSigner ?? _aws).Format();
        var conflicting = new Checkpoint(origin, 5, Enumerable.Repeat(differentRoots ? (byte)2 : (byte)1, 32).ToArray()).Sign(conflictingSigner ?? _aws).Format();
        return new SplitViewDetected(origin, SplitViewKind.SameSizeDifferentRoot, held, conflicting, [], "execution-attestation");
    }

    // c1 declared under aws's p1 (attested running), then, when given, the split-view record, then c1 denied peer-split-view.
    private void ChildThenEnd(SplitViewDetected? split)
    {
        var at = T0.AddMinutes(10);
        using var s = new Scenario(_log, signed: false);
        s.Setup(T0);
        var checkpoint = new Checkpoint(AwsOrigin, 3, new byte[32]).Sign(_aws).Format();
        _log.AppendLedgerEvent(Child, new ParentAttested(AwsOrigin, Parent, "sha256:" + new string('e', 64), checkpoint, 3, 5, ExecutionStatus.Running,
            ["read"], at.AddHours(1), at.AddSeconds(-1)), at, Aws);
        s.Submit(Child, s.Intent(Child, null) with { Parent = new ParentRef(AwsOrigin, Parent) }, at).ShouldBeOfType<Decision.Accepted>();
        if (split is not null)
        {
            _log.AppendRaw(WitnessStreams.Federation, "federation.split-view-detected.v1", WitnessStreams.Federation, "$ledger",
                FederationEventCodec.ToData(split), at.AddMinutes(1));
        }

        _log.AppendLedgerEvent(Child, new ExecutionDenied(Reason.PeerSplitView, "peer 'aws.example/ledger' shows a split view"), at.AddMinutes(1), Aws);
        _log.Checkpoint();
    }
}
