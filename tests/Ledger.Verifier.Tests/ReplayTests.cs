using Ledger.Domain.Bundles;
using Ledger.Domain.Crypto;
using Ledger.Domain.Emitters;
using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>
/// Logs a dishonest ledger could write with every hash and signature correct: the replay with the server's own
/// rules flags each at its position.
/// </summary>
public sealed class ReplayTests : IDisposable
{
    private readonly TestLog _log = new();
    private readonly Scenario _s;

    public ReplayTests()
    {
        _s = new Scenario(_log, signed: true);
        _s.Setup(T0);
    }

    public void Dispose()
    {
        _s.Dispose();
        _log.Dispose();
    }

    private static System.Text.Json.JsonElement Json(string text) => System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();

    private async Task<VerificationReport> VerifyAsync()
    {
        _log.Checkpoint();
        return Harness.Verify(await _log.FullBundleAsync(), _log);
    }

    [Fact]
    public async Task An_event_out_of_phase_order_that_was_recorded_should_have_been_refused()
    {
        _s.Submit(Id("x"), _s.Intent(Id("x"), null), T0.AddMinutes(1));
        var start = _log.AppendUnchecked(_s.AwsEmitter, Aws, Id("x"), new ExecutionStarted("node-1"), T0.AddMinutes(2));

        var failure = (await VerifyAsync()).ShouldFailAt("lifecycle.should-have-refused", start.Position);

        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("expected", "execution.denied.v1 reason phase-order-violated"));
        failure.Evidence.ShouldContain(e => e.Key == "rejected event digest" && e.Value.StartsWith("sha256:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_event_after_the_end_that_was_recorded_should_have_been_rejected()
    {
        _s.Completed(Id("x"), T0.AddMinutes(1), verifications: 1, parent: null);
        var late = _log.AppendUnchecked(_s.AwsEmitter, Aws, Id("x"), new RuntimeVerified(Measurement, VerificationVerdict.Ok), T0.AddMinutes(9));

        (await VerifyAsync()).ShouldFailAt("lifecycle.should-have-rejected", late.Position).Message.ShouldContain("execution-terminal");
    }

    [Fact]
    public async Task A_halt_the_ledger_appended_without_cause_is_unjustified()
    {
        _s.RunUntilStarted(Id("x"), T0.AddMinutes(1), parent: null);
        var halt = _log.AppendRaw(Id("x").StreamName, "execution.halted.v1", Aws, BundleFormat.LedgerEmitter,
            ExecutionEventCodec.ToData(new ExecutionHalted(Reason.RuntimeVerificationMissed, "swept")), T0.AddMinutes(6));

        (await VerifyAsync()).ShouldFailAt("lifecycle.unjustified-ledger-event", halt.Position);
    }

    [Fact]
    public async Task A_descendant_that_acts_after_its_parent_was_halted_should_have_been_ended()
    {
        _s.RunUntilStarted(Id("p"), T0.AddMinutes(1), parent: null);
        _s.RunUntilStarted(Id("c"), T0.AddMinutes(2), parent: Id("p"));
        _log.AppendUnchecked(_s.AwsEmitter, Aws, Id("p"), new ExecutionHalted(Reason.EmitterReported, "stop"), T0.AddMinutes(7));
        var verification = _log.AppendUnchecked(_s.AwsEmitter, Aws, Id("c"), new RuntimeVerified(Measurement, VerificationVerdict.Ok), T0.AddMinutes(8));

        var failure = (await VerifyAsync()).ShouldFailAt("lifecycle.cascade-missing", verification.Position);

        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("expected", "execution.halted.v1 reason parent-halted"));
    }

    [Fact]
    public async Task A_cascade_still_owed_at_the_end_of_the_bundle_is_a_warning()
    {
        _s.RunUntilStarted(Id("p"), T0.AddMinutes(1), parent: null);
        _s.RunUntilStarted(Id("c"), T0.AddMinutes(2), parent: Id("p"));
        _log.AppendUnchecked(_s.AwsEmitter, Aws, Id("p"), new ExecutionHalted(Reason.EmitterReported, "stop"), T0.AddMinutes(7));

        var report = await VerifyAsync();

        report.Outcome.ShouldBe(VerificationOutcome.Valid, report.Describe());
        report.Warnings.ShouldContain(w => w.Code == "lifecycle.cascade-pending" && w.Message.Contains("'c'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_child_declared_under_a_parent_that_does_not_exist_should_have_been_refused()
    {
        var intent = _log.AppendUnchecked(_s.AwsEmitter, Aws, Id("orphan"), _s.Intent(Id("orphan"), Id("nobody")), T0.AddMinutes(1));

        (await VerifyAsync()).ShouldFailAt("lifecycle.should-have-refused", intent.Position).Message.ShouldContain("lineage-broken");
    }

    [Fact]
    public async Task Parameters_in_force_at_each_position_are_the_ones_replayed()
    {
        _s.RunUntilStarted(Id("x"), T0.AddMinutes(1), parent: null);
        _log.Configure(new LedgerParameters(TimeSpan.FromHours(24), TimeSpan.FromHours(24), TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)), T0.AddMinutes(5));
        var verification = _log.AppendUnchecked(_s.AwsEmitter, Aws, Id("x"), new RuntimeVerified(Measurement, VerificationVerdict.Ok), T0.AddMinutes(8));

        (await VerifyAsync()).ShouldFailAt("lifecycle.should-have-refused", verification.Position).Message.ShouldContain("runtime-verification-missed");
    }

    [Fact]
    public async Task Data_that_is_not_a_valid_event_should_have_been_refused()
    {
        var entry = _log.AppendRaw(Id("x").StreamName, "execution.intent-declared.v1", Aws, "azure-emitter",
            Json("""{"executionId":"x"}"""), T0.AddMinutes(1));

        (await VerifyAsync()).ShouldFailAt("lifecycle.malformed-event", entry.Position);
    }

    [Fact]
    public async Task An_execution_event_outside_an_execution_stream_is_flagged()
    {
        var entry = _log.AppendRaw("jobs", "execution.started.v1", Azure, "azure-emitter",
            ExecutionEventCodec.ToData(new ExecutionStarted("n")), T0.AddMinutes(1));

        (await VerifyAsync()).ShouldFailAt("lifecycle.outside-execution-stream", entry.Position);
    }

    [Fact]
    public async Task An_unregistered_emitter_is_flagged()
    {
        var entry = _log.AppendRaw("jobs", "job.done.v1", Aws, "ghost", Json("{}"), T0.AddMinutes(1));

        (await VerifyAsync()).ShouldFailAt("emitter.unknown", entry.Position);
    }

    [Fact]
    public async Task A_revoked_emitter_that_still_appends_is_flagged()
    {
        _log.Revoke("azure-emitter", "key compromised", T0.AddMinutes(1));
        var entry = _log.AppendUnchecked(_s.AzureEmitter, Azure, Id("x"), _s.Intent(Id("x"), null), T0.AddMinutes(2));

        (await VerifyAsync()).ShouldFailAt("emitter.revoked", entry.Position);
    }

    [Fact]
    public async Task An_emitter_speaking_for_another_domain_is_flagged()
    {
        var entry = _log.AppendUnchecked(_s.AzureEmitter, Aws, Id("x"), _s.Intent(Id("x"), null), T0.AddMinutes(2));

        (await VerifyAsync()).ShouldFailAt("emitter.domain-not-covered", entry.Position);
    }

    [Fact]
    public async Task An_unsigned_event_of_an_emitter_that_must_sign_is_flagged()
    {
        var entry = _log.AppendUnchecked(_s.AwsEmitter with { Key = null }, Aws, Id("x"), _s.Intent(Id("x"), null), T0.AddMinutes(2));

        (await VerifyAsync()).ShouldFailAt("emitter.signature-missing", entry.Position);
    }

    [Fact]
    public async Task A_signed_event_of_an_emitter_without_a_key_is_flagged()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        var keyless = new TestEmitter("ops", null);
        _log.Register(keyless, ["*"], signaturesRequired: false, T0);
        var entry = _log.AppendUnchecked(keyless with { Key = key }, Aws, Id("x"), _s.Intent(Id("x"), null), T0.AddMinutes(2));

        (await VerifyAsync()).ShouldFailAt("emitter.no-key", entry.Position);
    }

    [Fact]
    public async Task A_key_rotation_takes_effect_at_its_position()
    {
        using var newKey = SigningKey.GenerateEcdsaP256();
        var rotated = _s.AwsEmitter with { Key = newKey };
        _s.Submit(Id("x"), _s.Intent(Id("x"), null), T0.AddMinutes(1));
        _log.Register(rotated, [Aws], signaturesRequired: true, T0.AddMinutes(2));
        var stale = _log.AppendUnchecked(_s.AwsEmitter, Aws, Id("y"), _s.Intent(Id("y"), null), T0.AddMinutes(3));
        _log.Submit(rotated, Aws, Id("z"), _s.Intent(Id("z"), null), T0.AddMinutes(4)).ShouldBeOfType<Decision.Accepted>();

        var report = await VerifyAsync();

        report.ShouldFailAt("emitter.key-mismatch", stale.Position);
        report.FailureCount.ShouldBe(1, report.Describe());
    }

    [Fact]
    public async Task Configuration_appended_by_an_emitter_is_flagged()
    {
        var entry = _log.AppendRaw(EmitterRegistry.StreamName, "emitter.registered.v1", Aws, "aws-emitter",
            EmitterEventCodec.ToData(new EmitterRegistered("rogue", ["*"], null, false)), T0.AddMinutes(1));

        (await VerifyAsync()).ShouldFailAt("configuration.not-by-ledger", entry.Position);
    }

    [Fact]
    public async Task A_registry_change_the_registry_refuses_is_flagged()
    {
        var entry = _log.AppendRaw(EmitterRegistry.StreamName, "emitter.revoked.v1", "ledger", BundleFormat.LedgerEmitter,
            EmitterEventCodec.ToData(new EmitterRevoked("nobody", "x")), T0.AddMinutes(1));

        (await VerifyAsync()).ShouldFailAt("configuration.refused", entry.Position);
    }

    [Fact]
    public async Task Invalid_parameters_are_flagged()
    {
        var entry = _log.AppendRaw(LedgerParameters.StreamName, LedgerParametersCodec.Type, "ledger", BundleFormat.LedgerEmitter,
            Json("""{"maxPolicyAge":"soon"}"""), T0.AddMinutes(1));

        (await VerifyAsync()).ShouldFailAt("configuration.malformed-event", entry.Position);
    }

    [Fact]
    public async Task A_history_the_rules_cannot_replay_stops_that_execution_only()
    {
        _s.Submit(Id("x"), _s.Intent(Id("x"), null), T0.AddMinutes(1));
        _log.AppendUnchecked(_s.AwsEmitter, Aws, Id("x"), new ExecutionStarted("node-1"), T0.AddMinutes(2));
        var verification = _log.AppendUnchecked(_s.AwsEmitter, Aws, Id("x"), new RuntimeVerified(Measurement, VerificationVerdict.Ok), T0.AddMinutes(3));
        _s.Completed(Id("y"), T0.AddMinutes(4), verifications: 1, parent: null);

        var report = await VerifyAsync();

        report.ShouldFailAt("lifecycle.replay-stopped", verification.Position);
        report.Counts.EventsReplayed.ShouldBeGreaterThan(7);
    }

    [Fact]
    public async Task Ed25519_emitter_signatures_are_verified_too()
    {
        Ed25519.IsSupported.ShouldBeTrue("this machine's libcrypto has Ed25519");
        using var key = SigningKey.GenerateEd25519();
        var emitter = new TestEmitter("edge-emitter", key);
        _log.Register(emitter, [Aws], signaturesRequired: true, T0);
        _log.Submit(emitter, Aws, Id("x"), _s.Intent(Id("x"), null), T0.AddMinutes(1)).ShouldBeOfType<Decision.Accepted>();

        var report = await VerifyAsync();

        report.Outcome.ShouldBe(VerificationOutcome.Valid, report.Describe());
        report.Counts.SignaturesVerified.ShouldBe(1);
    }
}
