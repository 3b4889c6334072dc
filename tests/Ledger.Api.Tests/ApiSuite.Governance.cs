using System.Net;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests;

// Governance synchronization (DESIGN §8.2): this ledger publishes the policy of its home domains in $governance, and a
// governance-synchronized claim for a home domain is decided against the latest publication.
public abstract partial class ApiSuite
{
    private const string GovernanceStream = "$governance";

    private static JsonObject Publication(string eventId, string domain, string digest, string? dataDomain = null, string policyId = "finance-v7") => new()
    {
        ["eventId"] = eventId,
        ["type"] = "governance.policy-published.v1",
        ["domain"] = domain,
        ["data"] = new JsonObject { ["domain"] = dataDomain ?? domain, ["policyId"] = policyId, ["policyDigest"] = digest },
    };

    private async Task<long> PublishAsync(string domain, string digest, string? token = null)
    {
        var created = await CreatedAsync(await AppendAsync(GovernanceStream, Story.Body(-1, Publication(NewId("publish"), domain, digest)), token));
        return created.GetProperty("positions")[0].GetInt64();
    }

    [Fact]
    public async Task The_ledger_records_its_home_domains_in_governance_at_start()
    {
        var stream = await JsonAsync(await GetAsync($"/v1/streams/{GovernanceStream}/events?limit=1000"));
        var homes = stream.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "governance.homes-configured.v1").ToList();

        homes.ShouldNotBeEmpty();
        homes[0].GetProperty("emitter").GetString().ShouldBe("$ledger");
        homes[^1].GetProperty("data").GetProperty("homeDomains").EnumerateArray().Select(d => d.GetString()).ShouldBe([HomeDomain, UnpublishedHomeDomain]);
    }

    [Fact]
    public async Task A_claim_for_a_home_domain_is_decided_against_the_latest_publication()
    {
        var published = await PublishAsync(HomeDomain, Story.PolicyDigest);
        var entry = await EntryAsync(published);
        entry.Stream.ShouldBe(GovernanceStream);
        entry.Emitter.ShouldBe("dev");

        var agreeing = NewStory("gov-agree", domain: HomeDomain);
        await RunAsync(agreeing, 0, agreeing.UpToStart());

        await PublishAsync(HomeDomain, Story.Digest("policy finance-v8"));
        var disagreeing = NewStory("gov-disagree", domain: HomeDomain);
        await RunAsync(disagreeing, 0, disagreeing.Intent());
        var problem = await ProblemAsync(await AppendAsync(disagreeing.Stream, Story.Body(1, disagreeing.Governance())), HttpStatusCode.UnprocessableEntity, "lifecycle-violation");
        problem.GetProperty("reason").GetString().ShouldBe("governance-inconsistent");
        problem.GetProperty("detail").GetString()!.ShouldContain(Story.Digest("policy finance-v8"));

        // The administrator publishes too, in the ledger's name; the claim agrees again.
        var byAdmin = await PublishAsync(HomeDomain, Story.PolicyDigest, AdminToken);
        (await EntryAsync(byAdmin)).Emitter.ShouldBe("$ledger");
        var again = NewStory("gov-again", domain: HomeDomain);
        await RunAsync(again, 0, again.UpToStart());

        // A domain without a home keeps the rule among the synced domains only: no publication needed.
        var homeless = NewStory("gov-homeless");
        await RunAsync(homeless, 0, homeless.UpToStart());
        await ExportVerifiesAsync();
    }

    [Fact]
    public async Task A_claim_for_a_home_domain_without_a_fresh_publication_is_denied_governance_stale()
    {
        var unpublished = NewStory("gov-unpublished", domain: UnpublishedHomeDomain);
        await RunAsync(unpublished, 0, unpublished.Intent());
        var none = await ProblemAsync(await AppendAsync(unpublished.Stream, Story.Body(1, unpublished.Governance())), HttpStatusCode.UnprocessableEntity, "lifecycle-violation");
        none.GetProperty("reason").GetString().ShouldBe("governance-stale");
        none.GetProperty("detail").GetString()!.ShouldContain("no policy published");

        await PublishAsync(UnpublishedHomeDomain, Story.PolicyDigest);
        App.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1)); // past the default maxPolicyAge
        var old = NewStory("gov-old", domain: UnpublishedHomeDomain);
        await RunAsync(old, 0, old.Intent());
        var stale = await ProblemAsync(await AppendAsync(old.Stream, Story.Body(1, old.Governance())), HttpStatusCode.UnprocessableEntity, "lifecycle-violation");
        stale.GetProperty("reason").GetString().ShouldBe("governance-stale");
        stale.GetProperty("detail").GetString()!.ShouldContain("last published");

        await PublishAsync(UnpublishedHomeDomain, Story.PolicyDigest);
        var fresh = NewStory("gov-fresh", domain: UnpublishedHomeDomain);
        await RunAsync(fresh, 0, fresh.UpToStart());
        await ExportVerifiesAsync();
    }

    [Fact]
    public async Task A_publication_for_a_domain_this_ledger_is_not_home_for_is_refused_and_appends_nothing()
    {
        var problem = await RefusedWithoutAppendAsync(
            () => AppendAsync(GovernanceStream, Story.Body(-1, Publication(NewId("nothome"), Story.DefaultDomain, Story.PolicyDigest))),
            HttpStatusCode.Forbidden, "not-home-domain");
        problem.GetProperty("domain").GetString().ShouldBe(Story.DefaultDomain);
        problem.GetProperty("detail").GetString()!.ShouldContain(HomeDomain);

        await RefusedWithoutAppendAsync(
            () => AppendAsync(GovernanceStream, Story.Body(-1, Publication(NewId("nothome"), Story.DefaultDomain, Story.PolicyDigest)), AdminToken),
            HttpStatusCode.Forbidden, "not-home-domain");
    }

    [Fact]
    public async Task A_malformed_publication_is_refused_naming_the_member_and_appends_nothing()
    {
        var digest = await RefusedWithoutAppendAsync(
            () => AppendAsync(GovernanceStream, Story.Body(-1, Publication(NewId("bad"), HomeDomain, "sha256:1234"))), HttpStatusCode.BadRequest, "validation-failed");
        digest.GetProperty("errors").GetProperty("events[0].data").GetRawText().ShouldContain("policyDigest");

        var otherDomain = await RefusedWithoutAppendAsync(
            () => AppendAsync(GovernanceStream, Story.Body(-1, Publication(NewId("bad"), HomeDomain, Story.PolicyDigest, dataDomain: UnpublishedHomeDomain))),
            HttpStatusCode.BadRequest, "validation-failed");
        otherDomain.GetProperty("errors").GetProperty("events[0].data.domain").GetRawText().ShouldContain("speaks for");

        var wrongType = new JsonObject
        {
            ["eventId"] = NewId("bad"), ["type"] = "execution.started.v1", ["domain"] = HomeDomain, ["data"] = new JsonObject { ["runtimeNode"] = "n" },
        };
        var type = await RefusedWithoutAppendAsync(() => AppendAsync(GovernanceStream, Story.Body(-1, wrongType)), HttpStatusCode.BadRequest, "validation-failed");
        type.GetProperty("errors").GetProperty("events[0].type").GetRawText().ShouldContain("governance.policy-published.v1");

        // One bad event of two: neither is appended.
        await RefusedWithoutAppendAsync(
            () => AppendAsync(GovernanceStream, Story.Body(-1, Publication(NewId("good"), HomeDomain, Story.PolicyDigest), Publication(NewId("bad"), HomeDomain, "sha256:x"))),
            HttpStatusCode.BadRequest, "validation-failed");

        // A publication in an execution stream is not an execution event.
        var story = NewStory("gov-misplaced", domain: HomeDomain);
        await RefusedWithoutAppendAsync(() => AppendAsync(story.Stream, Story.Body(0, Publication(NewId("bad"), HomeDomain, Story.PolicyDigest))), HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task Only_the_ledger_records_home_domains_and_only_emitters_of_the_domain_or_an_administrator_publish()
    {
        var homes = new JsonObject
        {
            ["eventId"] = NewId("homes"), ["type"] = "governance.homes-configured.v1", ["domain"] = HomeDomain,
            ["data"] = new JsonObject { ["homeDomains"] = new JsonArray(Story.DefaultDomain) },
        };
        await RefusedWithoutAppendAsync(() => AppendAsync(GovernanceStream, Story.Body(-1, homes)), HttpStatusCode.Forbidden, "forbidden");
        await RefusedWithoutAppendAsync(() => AppendAsync(GovernanceStream, Story.Body(-1, homes.DeepClone().AsObject()), AdminToken), HttpStatusCode.Forbidden, "forbidden");

        var outsider = await RegisterEmitterAsync("gov-outsider", [Story.DefaultDomain], null, signaturesRequired: false);
        var outsiderToken = await MintTokenAsync(outsider);
        await RefusedWithoutAppendAsync(
            () => AppendAsync(GovernanceStream, Story.Body(-1, Publication(NewId("outsider"), HomeDomain, Story.PolicyDigest)), outsiderToken),
            HttpStatusCode.Forbidden, "forbidden");

        var viewer = await MintViewerAsync(NewId("gov-viewer"));
        await RefusedWithoutAppendAsync(
            () => AppendAsync(GovernanceStream, Story.Body(-1, Publication(NewId("viewer"), HomeDomain, Story.PolicyDigest)), viewer),
            HttpStatusCode.Forbidden, "forbidden");

        var signedByAdmin = Publication(NewId("admin-signed"), HomeDomain, Story.PolicyDigest);
        using (var key = Domain.Crypto.SigningKey.GenerateEd25519())
        {
            Sign(signedByAdmin, GovernanceStream, "$ledger", key);
        }

        var problem = await RefusedWithoutAppendAsync(() => AppendAsync(GovernanceStream, Story.Body(-1, signedByAdmin), AdminToken), HttpStatusCode.BadRequest, "validation-failed");
        problem.GetProperty("errors").GetProperty("events[0].signature").GetRawText().ShouldContain("no signature");

        // Another stream name starting with '$' is not appended to.
        await RefusedWithoutAppendAsync(
            () => AppendAsync("$ledger", Story.Body(-1, Publication(NewId("ledger"), HomeDomain, Story.PolicyDigest)), AdminToken), HttpStatusCode.BadRequest, "invalid-stream");
    }

    [Fact]
    public async Task A_repeated_publication_is_answered_as_the_original_and_other_content_under_its_id_conflicts()
    {
        var publication = Publication(NewId("repeat"), HomeDomain, Story.PolicyDigest);
        var first = await CreatedAsync(await AppendAsync(GovernanceStream, Story.Body(-1, publication)));
        var again = await CreatedAsync(await AppendAsync(GovernanceStream, Story.Body(-1, publication.DeepClone().AsObject())));
        again.GetProperty("replayed").GetBoolean().ShouldBeTrue();
        again.GetProperty("positions")[0].GetInt64().ShouldBe(first.GetProperty("positions")[0].GetInt64());

        var changed = Publication(publication["eventId"]!.GetValue<string>(), HomeDomain, Story.Digest("another"));
        await RefusedWithoutAppendAsync(() => AppendAsync(GovernanceStream, Story.Body(-1, changed)), HttpStatusCode.Conflict, "event-id-conflict");
        await RefusedWithoutAppendAsync(
            () => AppendAsync(GovernanceStream, Story.Body(1, Publication(NewId("stale-version"), HomeDomain, Story.PolicyDigest))), HttpStatusCode.Conflict, "version-conflict");
        await ExportVerifiesAsync();
    }
}
