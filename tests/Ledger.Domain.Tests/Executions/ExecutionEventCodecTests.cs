using System.Text.Json;
using Ledger.Domain.Executions;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

public sealed class ExecutionEventCodecTests
{
    public static TheoryData<IExecutionEvent> OneOfEach => new()
    {
        Intent(parent: ParentRef()), Intent(), Governance(), Authorization(), Trust(), Trust(verdict: TrustVerdict.Untrusted),
        Start(), Verified(), Verified(verdict: VerificationVerdict.Failed), Completed(), Completed(ExecutionOutcome.Failed) with { Outputs = [] },
        Proof(), new ExecutionDenied(Reason.EmitterReported, ""), new ExecutionHalted(Reason.MeasurementDrift, "drift", new RejectedEvent("e-1", "execution.runtime-verified.v1", Digest('r'))),
    };

    internal static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    internal static IReadOnlyList<string> Errors(string type, string json)
    {
        ExecutionEventCodec.TryParse(type, Json(json), out var parsed, out var errors).ShouldBeFalse();
        parsed.ShouldBeNull();
        errors.ShouldNotBeEmpty();
        return errors;
    }

    [Theory]
    [MemberData(nameof(OneOfEach))]
    public void Every_event_round_trips_through_its_data(IExecutionEvent @event)
    {
        var data = ExecutionEventCodec.ToData(@event);

        ExecutionEventCodec.TryParse(ExecutionEventCodec.TypeOf(@event), data, out var parsed, out var errors).ShouldBeTrue(string.Join("; ", errors));
        errors.ShouldBeEmpty();
        parsed.ShouldBeOfType(@event.GetType());
        ExecutionEventCodec.ToData(parsed).GetRawText().ShouldBe(data.GetRawText());
    }

    [Fact]
    public void Round_tripped_scalars_and_nested_values_are_equal()
    {
        var authorization = Authorization();
        ExecutionEventCodec.TryParse("execution.authorization-issued.v1", ExecutionEventCodec.ToData(authorization), out var parsed, out _).ShouldBeTrue();

        var back = parsed.ShouldBeOfType<AuthorizationIssued>();
        back.NotBefore.ShouldBe(authorization.NotBefore);
        back.ExpiresAt.ShouldBe(authorization.ExpiresAt);
        back.GrantedScope.ShouldBe(authorization.GrantedScope);
        (back with { GrantedScope = authorization.GrantedScope }).ShouldBe(authorization);
    }

    [Fact]
    public void Every_execution_event_type_is_known_to_the_codec() =>
        ExecutionEventCodec.Types.Order(StringComparer.Ordinal).ShouldBe(
        [
            "execution.authorization-issued.v1", "execution.completed.v1", "execution.denied.v1", "execution.governance-synchronized.v1",
            "execution.halted.v1", "execution.intent-declared.v1", "execution.proof-persisted.v1", "execution.runtime-trust-established.v1",
            "execution.runtime-verified.v1", "execution.started.v1", "federation.governance-attested.v1", "federation.parent-attested.v1",
        ]);

    [Fact]
    public void Timestamps_with_offsets_are_read_as_the_same_instant_and_written_in_utc()
    {
        var json = """{"domain":"aws","policyDigest":"sha256:pp","syncedAt":"2025-01-01T02:00:00.1234567+02:00"}""".Replace("sha256:pp", PolicyDigest, StringComparison.Ordinal);
        var data = Json($$"""{"policyId":"p","policyDigest":"{{PolicyDigest}}","syncedDomains":[{{json}}]}""");

        ExecutionEventCodec.TryParse("execution.governance-synchronized.v1", data, out var parsed, out _).ShouldBeTrue();

        var synced = parsed.ShouldBeOfType<GovernanceSynchronized>().SyncedDomains.ShouldHaveSingleItem();
        synced.SyncedAt.ShouldBe(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_560));
        ExecutionEventCodec.ToData(parsed).GetProperty("syncedDomains")[0].GetProperty("syncedAt").GetString().ShouldBe("2025-01-01T00:00:00.123456Z");
    }

    [Theory]
    [InlineData("2025-01-01T00:00:00Z")]
    [InlineData("2025-01-01t00:00:00z")]
    [InlineData("2025-01-01T00:00:00.5-05:30")]
    [InlineData("2024-02-29T23:59:59.999999999Z")]
    public void Rfc3339_timestamps_are_accepted(string timestamp) =>
        ExecutionEventCodec.TryParse("execution.authorization-issued.v1", AuthorizationData(notBefore: timestamp, expiresAt: "2099-01-01T00:00:00Z"), out _, out var errors)
            .ShouldBeTrue(string.Join("; ", errors));

    [Theory]
    [InlineData("2025-01-01T00:00:00")]
    [InlineData("2025-01-01 00:00:00Z")]
    [InlineData("2025-01-01T00:00Z")]
    [InlineData("2025-02-30T00:00:00Z")]
    [InlineData("2025-01-01T24:00:00Z")]
    [InlineData("2025-01-01T00:00:60Z")]
    [InlineData("2025-01-01T00:00:00+2:00")]
    [InlineData("2025-01-01T00:00:00.Z")]
    [InlineData("1735689600")]
    public void Malformed_timestamps_are_refused(string timestamp) =>
        Errors("execution.authorization-issued.v1", AuthorizationData(notBefore: timestamp).GetRawText())
            .ShouldContain(e => e.StartsWith("notBefore: must be an RFC 3339 timestamp", StringComparison.Ordinal));

    [Fact]
    public void Data_is_written_with_only_the_escapes_json_requires() =>
        ExecutionEventCodec.ToData(new ExecutionDenied(Reason.EmitterReported, "a+b <é> \"q\" \\ \n"))
            .GetRawText().ShouldBe("""{"reason":"emitter-reported","detail":"a+b <é> \"q\" \\ \n"}""");

    [Fact]
    public void ToData_refuses_an_event_its_format_does_not_allow() =>
        Should.Throw<ArgumentException>(() => ExecutionEventCodec.ToData(Verified(measurement: "sha256:ABC"))).Message.ShouldContain("measurement");

    [Fact]
    public void An_unknown_type_is_refused() =>
        Errors("execution.teleported.v1", "{}").ShouldBe(["type: 'execution.teleported.v1' is not an execution event type"]);

    internal static JsonElement AuthorizationData(string notBefore = "2025-01-01T00:02:00Z", string expiresAt = "2025-01-01T02:00:00Z") =>
        Json($$"""
        {"authorizationId":"authz-1","issuer":"aws","grantedScope":["read"],"notBefore":"{{notBefore}}","expiresAt":"{{expiresAt}}","artifactDigest":"{{Digest('a')}}"}
        """);
}
