using Ledger.Domain.Emitters;

namespace Ledger.Domain.Tests.Emitters;

public sealed class EmitterRegistryTests
{
    private const string Key = "ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private static EmitterRegistry Given(params IEmitterEvent[] events) => events.Aggregate(EmitterRegistry.Empty, EmitterRegistry.Evolve);

    [Fact]
    public void An_emitter_speaks_for_its_own_domains()
    {
        var registry = Given(new EmitterRegistered("aws-gw", ["aws", "aws-eu"], Key, true));

        registry.CanSpeakFor("aws-gw", "aws").ShouldBeTrue();
        registry.CanSpeakFor("aws-gw", "aws-eu").ShouldBeTrue();
    }

    [Fact]
    public void An_emitter_may_not_speak_for_another_domain() =>
        Given(new EmitterRegistered("aws-gw", ["aws"], Key, true)).CanSpeakFor("aws-gw", "azure").ShouldBeFalse();

    [Fact]
    public void Domain_names_are_compared_exactly() =>
        Given(new EmitterRegistered("aws-gw", ["aws"], Key, true)).CanSpeakFor("aws-gw", "AWS").ShouldBeFalse();

    [Fact]
    public void The_wildcard_speaks_for_every_domain() =>
        Given(new EmitterRegistered("dev", ["*"], null, false)).CanSpeakFor("dev", "anything").ShouldBeTrue();

    [Fact]
    public void An_unknown_emitter_speaks_for_nothing() =>
        EmitterRegistry.Empty.CanSpeakFor("ghost", "aws").ShouldBeFalse();

    [Fact]
    public void A_revoked_emitter_speaks_for_nothing()
    {
        var registry = Given(new EmitterRegistered("aws-gw", ["aws"], Key, true), new EmitterRevoked("aws-gw", "key leaked"));

        registry.CanSpeakFor("aws-gw", "aws").ShouldBeFalse();
        registry.IsActive("aws-gw").ShouldBeFalse();
        registry.Find("aws-gw")!.RevocationReason.ShouldBe("key leaked");
    }

    [Fact]
    public void Registering_again_replaces_key_and_domains()
    {
        var registry = Given(new EmitterRegistered("aws-gw", ["aws"], null, false), new EmitterRegistered("aws-gw", ["azure"], Key, true));

        var entry = registry.Find("aws-gw").ShouldNotBeNull();
        entry.PublicKey.ShouldBe(Key);
        entry.SignaturesRequired.ShouldBeTrue();
        registry.CanSpeakFor("aws-gw", "aws").ShouldBeFalse();
        registry.CanSpeakFor("aws-gw", "azure").ShouldBeTrue();
    }

    [Fact]
    public void A_revoked_name_is_not_reused()
    {
        var registry = Given(new EmitterRegistered("aws-gw", ["aws"], Key, true), new EmitterRevoked("aws-gw", "key leaked"));
        var again = new EmitterRegistered("aws-gw", ["aws"], null, false);

        registry.Check(again).ShouldNotBeNull().ShouldContain("revoked");
        EmitterRegistry.Evolve(registry, again).IsActive("aws-gw").ShouldBeFalse();
    }

    [Fact]
    public void Revoking_an_unknown_emitter_is_refused() =>
        EmitterRegistry.Empty.Check(new EmitterRevoked("ghost", "x")).ShouldNotBeNull().ShouldContain("not registered");

    [Fact]
    public void Revoking_twice_is_refused() =>
        Given(new EmitterRegistered("aws-gw", ["aws"], Key, true), new EmitterRevoked("aws-gw", "x"))
            .Check(new EmitterRevoked("aws-gw", "again")).ShouldNotBeNull().ShouldContain("already revoked");

    [Fact]
    public void Registering_and_revoking_active_emitters_is_allowed()
    {
        var registry = Given(new EmitterRegistered("aws-gw", ["aws"], Key, true));

        registry.Check(new EmitterRegistered("aws-gw", ["aws"], null, false)).ShouldBeNull();
        registry.Check(new EmitterRegistered("azure-gw", ["azure"], null, false)).ShouldBeNull();
        registry.Check(new EmitterRevoked("aws-gw", "rotation")).ShouldBeNull();
    }

    [Fact]
    public void Evolve_leaves_the_previous_registry_unchanged()
    {
        var before = Given(new EmitterRegistered("aws-gw", ["aws"], Key, true));

        _ = EmitterRegistry.Evolve(before, new EmitterRevoked("aws-gw", "x"));

        before.IsActive("aws-gw").ShouldBeTrue();
    }

    [Fact]
    public void Emitters_are_listed_by_name() =>
        Given(new EmitterRegistered("b", ["aws"], null, false), new EmitterRegistered("a", ["aws"], null, false))
            .Emitters.Select(e => e.Name).ShouldBe(["a", "b"]);

    [Fact]
    public void The_registry_stream_is_named_emitters() => EmitterRegistry.StreamName.ShouldBe("$emitters");
}
