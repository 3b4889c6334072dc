using System.Text.Json;
using Ledger.Domain.Access;

namespace Ledger.Domain.Tests.Access;

public sealed class TokenRegistryTests
{
    private const string Hash = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    private static readonly TokenMinted Minted = new("0123456789abcdef", "aws-gateway", TokenEntry.EmitterRole, Hash, null);

    [Fact]
    public void A_minted_token_is_found_with_its_subject_role_and_hash()
    {
        var registry = TokenRegistry.Evolve(TokenRegistry.Empty, Minted);

        var token = registry.Find("0123456789abcdef").ShouldNotBeNull();
        token.Subject.ShouldBe("aws-gateway");
        token.Role.ShouldBe(TokenEntry.EmitterRole);
        token.SecretHash.ShouldBe(Hash);
        token.IsRevoked.ShouldBeFalse();
    }

    [Fact]
    public void A_revoked_token_stays_known_and_is_marked_revoked()
    {
        var registry = TokenRegistry.Evolve(TokenRegistry.Evolve(TokenRegistry.Empty, Minted), new TokenRevoked(Minted.TokenId, "rotated"));

        registry.Find(Minted.TokenId).ShouldNotBeNull().RevocationReason.ShouldBe("rotated");
        registry.Tokens.Count().ShouldBe(1);
    }

    [Fact]
    public void Minting_an_existing_token_id_is_refused()
    {
        var registry = TokenRegistry.Evolve(TokenRegistry.Empty, Minted);

        registry.Check(Minted).ShouldBe("token '0123456789abcdef' already exists");
        Should.Throw<InvalidOperationException>(() => TokenRegistry.Evolve(registry, Minted));
    }

    [Fact]
    public void Revoking_an_unknown_token_is_refused() =>
        TokenRegistry.Empty.Check(new TokenRevoked("0123456789abcdef", "x")).ShouldBe("token '0123456789abcdef' does not exist");

    [Fact]
    public void Revoking_a_token_twice_is_refused()
    {
        var registry = TokenRegistry.Evolve(TokenRegistry.Evolve(TokenRegistry.Empty, Minted), new TokenRevoked(Minted.TokenId, "rotated"));

        registry.Check(new TokenRevoked(Minted.TokenId, "again")).ShouldBe("token '0123456789abcdef' is already revoked");
    }

    [Fact]
    public void Token_events_round_trip_through_their_data()
    {
        var minted = Minted with { ExpiresAt = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) };

        AccessEventCodec.TryParse("token.minted.v1", AccessEventCodec.ToData(minted), out var parsed, out var errors).ShouldBeTrue(string.Join("; ", errors));
        parsed.ShouldBe(minted);
    }

    [Theory]
    [InlineData("""{"tokenId":"XYZ","subject":"a","role":"emitter","secretHash":"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","expiresAt":null}""", "tokenId: must be 16 lowercase hex digits")]
    [InlineData("""{"tokenId":"0123456789abcdef","subject":"a","role":"root","secretHash":"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","expiresAt":null}""", "role: must be 'emitter', 'admin' or 'viewer'")]
    [InlineData("""{"tokenId":"0123456789abcdef","subject":"a","role":"admin","secretHash":"plain","expiresAt":null}""", "secretHash: must be 'sha256:'")]
    [InlineData("""{"tokenId":"0123456789abcdef","subject":"a","role":"admin","secretHash":"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","expiresAt":"tomorrow"}""", "expiresAt: must be an RFC 3339 timestamp or null")]
    [InlineData("""{"tokenId":"0123456789abcdef","subject":"a","role":"admin","secretHash":"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","expiresAt":null,"secret":"x"}""", "secret")]
    [InlineData("""{"tokenId":"0123456789abcdef","role":"admin","secretHash":"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","expiresAt":null}""", "subject")]
    public void Malformed_token_minted_data_is_refused_with_the_offending_member(string json, string expected)
    {
        using var doc = JsonDocument.Parse(json);

        AccessEventCodec.TryParse("token.minted.v1", doc.RootElement, out var parsed, out var errors).ShouldBeFalse();
        parsed.ShouldBeNull();
        string.Join("; ", errors).ShouldContain(expected);
    }

    [Fact]
    public void An_unknown_token_event_type_is_refused()
    {
        using var doc = JsonDocument.Parse("{}");

        AccessEventCodec.TryParse("token.renewed.v1", doc.RootElement, out _, out var errors).ShouldBeFalse();
        errors.ShouldContain("type: 'token.renewed.v1' is not a token event type");
    }
}
