using Ledger.Domain.Access;
using System.Reflection;
using System.Text.RegularExpressions;
using Ledger.Domain.Emitters;
using Ledger.Domain.Publications;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;
using Ledger.Domain.Federation;
using Ledger.Domain.Witnessing;

namespace Ledger.Domain.Tests.Events;

public sealed partial class EventTypeArchitectureTests
{
    private static readonly Assembly Domain = typeof(WireNameAttribute).Assembly;

    internal static IEnumerable<(Type Type, string Name)> WireNamedTypes() =>
        Domain.GetTypes()
            .Select(t => (Type: t, Attribute: t.GetCustomAttribute<WireNameAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => (x.Type, x.Attribute!.Name));

    private static bool IsRecord(Type type) => type.GetMethod("<Clone>$") is not null;

    [Fact]
    public void Every_wire_named_type_is_a_public_sealed_record()
    {
        var offenders = WireNamedTypes().Where(x => !(x.Type.IsPublic && x.Type.IsSealed && IsRecord(x.Type))).Select(x => x.Type.FullName);

        offenders.ShouldBeEmpty();
    }

    [Fact]
    public void Wire_names_are_unique_lowercase_and_versioned()
    {
        var names = WireNamedTypes().Select(x => x.Name).ToList();

        names.ShouldBeUnique();
        names.ShouldAllBe(n => WireNamePattern().IsMatch(n));
    }

    [Fact]
    public void Every_event_type_has_a_wire_name()
    {
        var eventTypes = Domain.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && (typeof(IExecutionEvent).IsAssignableFrom(t) || typeof(IEmitterEvent).IsAssignableFrom(t) || typeof(IAccessEvent).IsAssignableFrom(t)
                || typeof(IWitnessEvent).IsAssignableFrom(t) || typeof(IFederationEvent).IsAssignableFrom(t) || typeof(IGovernanceEvent).IsAssignableFrom(t)));

        eventTypes.Where(t => t.GetCustomAttribute<WireNameAttribute>() is null).Select(t => t.FullName).ShouldBeEmpty();
    }

    [Fact]
    public void The_codecs_together_know_exactly_the_wire_named_types() =>
        ExecutionEventCodec.Types.Concat(EmitterEventCodec.Types).Concat(AccessEventCodec.Types).Concat(WitnessEventCodec.Types).Concat(FederationEventCodec.Types).Concat(GovernanceEventCodec.Types).Append(LedgerParametersCodec.Type).Order(StringComparer.Ordinal)
            .ShouldBe(WireNamedTypes().Select(x => x.Name).Order(StringComparer.Ordinal));

    [Fact]
    public void Each_family_of_events_shares_its_prefix()
    {
        // The ledger's record of a peer's attestation lives in the child's stream but belongs to federation (DESIGN §8.2).
        WireNamedTypes().Where(x => typeof(IExecutionEvent).IsAssignableFrom(x.Type) && x.Type != typeof(ParentAttested) && x.Type != typeof(GovernanceAttested))
            .ShouldAllBe(x => x.Name.StartsWith("execution.", StringComparison.Ordinal));
        WireNames.Of<ParentAttested>().ShouldBe("federation.parent-attested.v1");
        WireNames.Of<GovernanceAttested>().ShouldBe("federation.governance-attested.v1");
        WireNamedTypes().Where(x => typeof(IEmitterEvent).IsAssignableFrom(x.Type)).ShouldAllBe(x => x.Name.StartsWith("emitter.", StringComparison.Ordinal));
        WireNamedTypes().Where(x => typeof(IAccessEvent).IsAssignableFrom(x.Type)).ShouldAllBe(x => x.Name.StartsWith("token.", StringComparison.Ordinal));
        WireNamedTypes().Where(x => typeof(IWitnessEvent).IsAssignableFrom(x.Type)).ShouldAllBe(x => x.Name.StartsWith("witness.", StringComparison.Ordinal));
        WireNamedTypes().Where(x => typeof(IFederationEvent).IsAssignableFrom(x.Type)).ShouldAllBe(x => x.Name.StartsWith("federation.", StringComparison.Ordinal));
        WireNamedTypes().Where(x => typeof(IGovernanceEvent).IsAssignableFrom(x.Type)).ShouldAllBe(x => x.Name.StartsWith("governance.", StringComparison.Ordinal));
        WireNames.Of<PolicyConfigured>().ShouldBe("ledger.policy-configured.v1");
    }

    [Fact]
    public void Event_records_hold_no_mutable_state()
    {
        var setters = WireNamedTypes()
            .SelectMany(x => x.Type.GetProperties())
            .Where(p => p.SetMethod is { IsPublic: true } setter && !setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit"))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}");

        setters.ShouldBeEmpty();
    }

    [Fact]
    public void A_type_without_a_wire_name_is_reported() =>
        Should.Throw<ArgumentException>(() => WireNames.Of<ExecutionState>()).Message.ShouldContain(nameof(ExecutionState));

    [GeneratedRegex("^[a-z]+(\\.[a-z][a-z0-9-]*)+\\.v[1-9][0-9]*$")]
    private static partial Regex WireNamePattern();
}
