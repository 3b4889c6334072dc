using System.Text.Json;
using Ledger.Domain.Parameters;

namespace Ledger.Domain.Tests.Parameters;

public sealed class LedgerParametersTests
{
    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static string Data(string policyAge = "PT24H", string authorizationTtl = "PT24H", string verificationInterval = "PT5M", string intentTtl = "PT1H") =>
        $$"""{"maxPolicyAge":"{{policyAge}}","maxAuthorizationTtl":"{{authorizationTtl}}","maxVerificationInterval":"{{verificationInterval}}","intentTtl":"{{intentTtl}}"}""";

    private static IReadOnlyList<string> Errors(string json, string type = "ledger.policy-configured.v1")
    {
        LedgerParametersCodec.TryParse(type, Json(json), out var parsed, out var errors).ShouldBeFalse();
        parsed.ShouldBeNull();
        return errors;
    }

    [Fact]
    public void Defaults_are_a_day_a_day_five_minutes_and_an_hour()
    {
        var defaults = LedgerParameters.Default;

        defaults.MaxPolicyAge.ShouldBe(TimeSpan.FromHours(24));
        defaults.MaxAuthorizationTtl.ShouldBe(TimeSpan.FromHours(24));
        defaults.MaxVerificationInterval.ShouldBe(TimeSpan.FromMinutes(5));
        defaults.IntentTtl.ShouldBe(TimeSpan.FromHours(1));
        LedgerParameters.StreamName.ShouldBe("$ledger");
    }

    [Fact]
    public void MaxPeerSilence_is_optional_on_the_wire_and_five_minutes_when_absent()
    {
        LedgerParametersCodec.TryParse("ledger.policy-configured.v1", Json(Data()), out var absent, out _).ShouldBeTrue();
        absent!.MaxPeerSilence.ShouldBeNull();
        absent.ToParameters().MaxPeerSilence.ShouldBe(TimeSpan.FromMinutes(5));

        var stated = Data().TrimEnd('}') + ""","maxPeerSilence":"PT30S"}""";
        LedgerParametersCodec.TryParse("ledger.policy-configured.v1", Json(stated), out var parsed, out _).ShouldBeTrue();
        parsed!.ToParameters().MaxPeerSilence.ShouldBe(TimeSpan.FromSeconds(30));
        LedgerParametersCodec.ToData(parsed).GetRawText().ShouldContain("\"maxPeerSilence\":\"PT30S\"");
        LedgerParametersCodec.ToData(absent).GetRawText().ShouldNotContain("maxPeerSilence");
        Errors(Data().TrimEnd('}') + ""","maxPeerSilence":"soon"}""").ShouldHaveSingleItem().ShouldStartWith("maxPeerSilence:");
    }

    [Fact]
    public void A_configuration_event_replaces_every_value()
    {
        var configured = new PolicyConfigured(TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10));

        LedgerParameters.Evolve(LedgerParameters.Default, configured)
            .ShouldBe(new LedgerParameters(TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void Replay_uses_the_values_in_force_at_each_position()
    {
        var first = new PolicyConfigured(TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        var second = PolicyConfigured.From(LedgerParameters.Default);

        var afterFirst = LedgerParameters.Evolve(LedgerParameters.Default, first);
        var afterSecond = LedgerParameters.Evolve(afterFirst, second);

        afterFirst.MaxVerificationInterval.ShouldBe(TimeSpan.FromMinutes(1));
        afterSecond.ShouldBe(LedgerParameters.Default);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Durations_must_be_positive(int seconds) =>
        Should.Throw<ArgumentOutOfRangeException>(() =>
            new LedgerParameters(TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromSeconds(seconds), TimeSpan.FromHours(1)));

    [Fact]
    public void The_default_configuration_round_trips()
    {
        var data = LedgerParametersCodec.ToData(PolicyConfigured.From(LedgerParameters.Default));

        data.GetRawText().ShouldBe(Data());
        LedgerParametersCodec.TryParse(LedgerParametersCodec.Type, data, out var parsed, out _).ShouldBeTrue();
        parsed!.ToParameters().ShouldBe(LedgerParameters.Default);
    }

    [Theory]
    [InlineData("P1D", 24 * 3600.0)]
    [InlineData("PT24H", 24 * 3600.0)]
    [InlineData("P1DT2H", 26 * 3600.0)]
    [InlineData("PT5M", 300.0)]
    [InlineData("PT1M30S", 90.0)]
    [InlineData("PT90S", 90.0)]
    [InlineData("PT0.5S", 0.5)]
    [InlineData("PT0.000001S", 0.000001)]
    public void Iso_8601_durations_in_exact_units_are_accepted(string duration, double seconds)
    {
        LedgerParametersCodec.TryParse(LedgerParametersCodec.Type, Json(Data(verificationInterval: duration)), out var parsed, out var errors)
            .ShouldBeTrue(string.Join("; ", errors));

        parsed!.MaxVerificationInterval.ShouldBe(TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)));
    }

    [Theory]
    [InlineData(90, "PT1M30S")]
    [InlineData(26 * 3600, "PT26H")]
    [InlineData(3661, "PT1H1M1S")]
    public void Durations_are_written_normalized_in_hours_minutes_and_seconds(int seconds, string expected) =>
        LedgerParametersCodec.ToData(new PolicyConfigured(TimeSpan.FromSeconds(seconds), TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1)))
            .GetProperty("maxPolicyAge").GetString().ShouldBe(expected);

    [Fact]
    public void Fractional_seconds_are_written_without_trailing_zeros() =>
        LedgerParametersCodec.ToData(new PolicyConfigured(TimeSpan.FromMilliseconds(1500), TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1)))
            .GetProperty("maxPolicyAge").GetString().ShouldBe("PT1.5S");

    [Theory]
    [InlineData("PT")]
    [InlineData("P")]
    [InlineData("PT0S")]
    [InlineData("P1Y")]
    [InlineData("P1M")]
    [InlineData("P1W")]
    [InlineData("PT-5M")]
    [InlineData("pt5m")]
    [InlineData("300")]
    [InlineData("PT0.0000001S")]
    [InlineData("P1DT")]
    [InlineData("PT5M ")]
    [InlineData("P99999999999D")]
    public void Other_duration_spellings_are_refused(string duration) =>
        Errors(Data(intentTtl: duration)).ShouldContain(e => e.StartsWith("intentTtl: must be a positive ISO 8601 duration", StringComparison.Ordinal));

    [Fact]
    public void A_duration_given_as_a_number_is_refused() =>
        Errors("""{"maxPolicyAge":86400,"maxAuthorizationTtl":"PT24H","maxVerificationInterval":"PT5M","intentTtl":"PT1H"}""")
            .ShouldBe(["maxPolicyAge: expected a string, found a number"]);

    [Fact]
    public void Every_parameter_is_required() =>
        Errors("""{"maxPolicyAge":"PT24H"}""").Count.ShouldBe(3);

    [Fact]
    public void Unknown_members_are_refused() =>
        Errors(Data().Replace("}", ",\"maxRetries\":\"PT1S\"}", StringComparison.Ordinal)).ShouldBe(["maxRetries: unknown member"]);

    [Fact]
    public void Another_event_type_is_refused() =>
        Errors(Data(), "ledger.key-rotated.v1").ShouldBe(["type: 'ledger.key-rotated.v1' is not ledger.policy-configured.v1"]);

    [Fact]
    public void A_duration_below_a_microsecond_cannot_be_written() =>
        Should.Throw<ArgumentOutOfRangeException>(() =>
            LedgerParametersCodec.ToData(new PolicyConfigured(TimeSpan.FromTicks(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1))));
}

public sealed class LedgerParameterBoundsTests
{
    [Theory]
    [InlineData("P366D")]
    [InlineData("PT8784H")]
    [InlineData("PT0.000001S")]
    [InlineData("P365DT23H59M59.999999S")]
    public void A_setting_up_to_366_days_is_accepted(string text) =>
        LedgerParameters.TryParseSetting("intentTtl", text, out _, out var error).ShouldBeTrue(error);

    [Theory]
    [InlineData("P367D")]
    [InlineData("PT8784H0.000001S")]
    [InlineData("P10675199D")]
    [InlineData("PT256204776H")]
    public void A_setting_over_366_days_is_refused_naming_the_field_the_value_and_the_range(string text)
    {
        LedgerParameters.TryParseSetting("intentTtl", text, out _, out var error).ShouldBeFalse();

        error.ShouldBe($"intentTtl must be between PT0.000001S and P366D (PT8784H), found '{text}'");
    }

    [Theory]
    [InlineData("P1Y")]
    [InlineData("P1M")]
    [InlineData("P2W")]
    [InlineData("PT0S")]
    [InlineData("-PT1H")]
    [InlineData("5 minutes")]
    [InlineData("P99999999999D")]
    public void A_setting_outside_the_grammar_is_refused_naming_the_field_and_the_value(string text)
    {
        LedgerParameters.TryParseSetting("maxPolicyAge", text, out _, out var error).ShouldBeFalse();

        error.ShouldStartWith("maxPolicyAge must be a positive ISO 8601 duration");
        error.ShouldEndWith($"found '{text}'");
    }

    [Fact]
    public void A_missing_setting_is_refused() =>
        LedgerParameters.TryParseSetting("maxPolicyAge", null, out _, out var error).ShouldBeFalse();

    [Fact]
    public void A_configuration_over_the_bound_cannot_be_written()
    {
        var configured = new PolicyConfigured(TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromDays(367), TimeSpan.FromHours(1));

        Should.Throw<ArgumentOutOfRangeException>(() => LedgerParametersCodec.ToData(configured)).Message.ShouldContain("maxVerificationInterval");
    }

    [Fact]
    public void A_configuration_at_the_bound_is_written()
    {
        var configured = new PolicyConfigured(LedgerParameters.MaxSetting, LedgerParameters.MaxSetting, LedgerParameters.MaxSetting, LedgerParameters.MaxSetting);

        LedgerParametersCodec.ToData(configured).GetProperty("intentTtl").GetString().ShouldBe("PT8784H");
    }

    [Fact]
    public void The_duration_grammar_refuses_null_and_values_too_large_for_a_timespan()
    {
        IsoDuration.TryParse(null, out _).ShouldBeFalse();
        IsoDuration.TryParse("PT999999999999H", out _).ShouldBeFalse();
    }
}
