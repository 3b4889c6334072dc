using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Federation;
using Ledger.Api.Tests.FailClosed;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;
using Ledger.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Api.Tests.Federation;

/// <summary>
/// Governance claims for a domain whose home is a peer (DESIGN §8.2): a home ledger publishing in <c>$governance</c>, a
/// claiming ledger that lists it as the home of <c>aws.example</c>, the claiming ledger's peer requests routed through
/// <see cref="InProcessRouter"/> to the home ledger or to forged answers.
/// </summary>
public sealed class RemoteGovernanceTests : IDisposable
{
    private const string HomeOrigin = "h.example/ledger";
    private const string ClaimingOrigin = "c.example/ledger";
    private const string Domain = Story.DefaultDomain;
    private readonly InProcessRouter _router = new();
    private LedgerApp? _home;
    private LedgerApp? _claiming;

    private LedgerApp Home => _home ?? throw new InvalidOperationException("Not set up.");

    private LedgerApp Claiming => _claiming ?? throw new InvalidOperationException("Not set up.");

    public void Dispose()
    {
        _claiming?.Dispose();
        _home?.Dispose();
    }

    [Fact]
    public async Task A_claim_matching_the_home_peers_publication_is_accepted_with_its_evidence_and_a_mismatch_is_governance_inconsistent()
    {
        await SetUpAsync(homeDomains: [Domain]);
        var published = await PublishAsync(Story.PolicyDigest);

        var agreeing = NewStory("agree");
        await ClaimingClient().StartExecutionAsync(agreeing);
        var stream = await StreamAsync(agreeing);
        stream.Select(e => e.Type).ShouldBe(
        [
            "execution.intent-declared.v1", "federation.governance-attested.v1", "execution.governance-synchronized.v1", "execution.authorization-issued.v1",
            "execution.runtime-trust-established.v1", "execution.started.v1",
        ]);
        stream[1].Emitter.ShouldBe("$ledger");
        stream[1].EventId.ShouldBe($"ledger-governance-{agreeing.Id}-2");
        var evidence = Evidence(stream[1]);
        evidence.Ledger.ShouldBe(HomeOrigin);
        evidence.Domains.ShouldBe([Domain]);
        evidence.HomeDomains.ShouldBe([Domain]);
        var publication = evidence.Publications.ShouldHaveSingleItem();
        (publication.PolicyDigest, publication.Position).ShouldBe((Story.PolicyDigest, published));
        evidence.AttestationDigest.ShouldStartWith("sha256:");

        await PublishAsync(Story.Digest("policy finance-v8"));
        var disagreeing = NewStory("disagree");
        var problem = await RefusedAsync(disagreeing);
        problem.GetProperty("reason").GetString().ShouldBe("governance-inconsistent");
        problem.GetProperty("detail").GetString()!.ShouldContain(Story.Digest("policy finance-v8"));
        problem.GetProperty("detail").GetString()!.ShouldContain(HomeOrigin);
        (await StreamAsync(disagreeing)).Select(e => e.Type).ShouldBe(["execution.intent-declared.v1", "federation.governance-attested.v1", "execution.denied.v1"]);

        await ClaimingClient().ExportAndVerifyAsync();
        await HomeClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task Without_a_fresh_publication_at_the_home_peer_the_claim_is_governance_stale()
    {
        await SetUpAsync(homeDomains: [Domain]);

        var unpublished = await RefusedAsync(NewStory("unpublished"));
        unpublished.GetProperty("reason").GetString().ShouldBe("governance-stale");
        unpublished.GetProperty("detail").GetString()!.ShouldContain("no policy published");

        await PublishAsync(Story.PolicyDigest);
        Home.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1)); // past the default maxPolicyAge at the claim
        Claiming.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        var old = await RefusedAsync(NewStory("old", Claiming.Clock.GetUtcNow()));
        old.GetProperty("reason").GetString().ShouldBe("governance-stale");
        old.GetProperty("detail").GetString()!.ShouldContain("maxPolicyAge");

        await ClaimingClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_home_peer_whose_own_log_is_not_home_for_the_domain_proves_nothing()
    {
        await SetUpAsync(homeDomains: ["other.example"]);

        var problem = await RefusedAsync(NewStory("not-home"));

        problem.GetProperty("reason").GetString().ShouldBe("governance-stale");
        problem.GetProperty("detail").GetString()!.ShouldContain("does not vouch");
        await ClaimingClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_home_peer_down_answering_an_error_or_forging_its_attestation_fails_the_claim_closed_without_evidence()
    {
        await SetUpAsync(homeDomains: [Domain]);
        await PublishAsync(Story.PolicyDigest);
        var real = await GovernanceAttestationAsync();

        _router.Route("h.test", _ => throw new HttpRequestException("Connection refused (h.test)"));
        (await StaleWithoutEvidenceAsync("down")).ShouldContain("did not answer");

        _router.Route("h.test", _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        (await StaleWithoutEvidenceAsync("error")).ShouldContain("answered 503");

        // The publication's digest rewritten in the served text: the entry no longer matches its inclusion proof.
        var entryLine = real.Split('\n').Last(l => l.StartsWith("entry ", StringComparison.Ordinal)).Split(' ');
        var entry = Encoding.UTF8.GetString(Convert.FromBase64String(entryLine[2])).Replace(Story.PolicyDigest, Story.Digest("forged"), StringComparison.Ordinal);
        var tampered = real.Replace(entryLine[2], Convert.ToBase64String(Encoding.UTF8.GetBytes(entry)), StringComparison.Ordinal);
        _router.Route("h.test", _ => Text(tampered));
        (await StaleWithoutEvidenceAsync("tampered")).ShouldContain("attestation-entry-rejected");

        // Another document under the same lines is not a governance attestation.
        _router.Route("h.test", _ => Text(real.Replace("governance-attestation@v1", "execution-attestation@v1", StringComparison.Ordinal)));
        (await StaleWithoutEvidenceAsync("malformed")).ShouldContain("attestation-malformed");

        // Replayed after maxPeerSilence, the real attestation proves nothing fresh.
        _router.Route("h.test", _ => Text(real));
        Claiming.Clock.Advance(TimeSpan.FromMinutes(6));
        (await StaleWithoutEvidenceAsync("replayed", Claiming.Clock.GetUtcNow())).ShouldContain("attestation-stale");

        await ClaimingClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_home_peer_showing_a_split_view_in_its_governance_attestation_is_recorded_and_not_asked_again()
    {
        await SetUpAsync(homeDomains: [Domain]);
        await PublishAsync(Story.PolicyDigest);
        await ClaimingClient().StartExecutionAsync(NewStory("before"));
        var held = (await Claiming.Node.Store.ReadFollowedPeerAsync(HomeOrigin)).ShouldNotBeNull();

        // The home's own key signs another tree of the size the claiming ledger holds: two views of one log.
        GovernanceAttestation.TryParse(await GovernanceAttestationAsync(), out var real, out _).ShouldBeTrue();
        GovernanceStatement.TryParse(real!.Statement.Text, out var statement, out _).ShouldBeTrue();
        var otherRoot = Enumerable.Repeat((byte)7, 32).ToArray();
        var signer = Home.Node.Signer;
        var forged = new GovernanceAttestation(
            SignedNote.Sign((statement! with { Size = held.Size, Root = otherRoot }).ToText(), signer),
            SignedNote.Parse(new Checkpoint(HomeOrigin, held.Size, otherRoot).Sign(signer).Format()),
            real.Entries).Format();
        _router.Route("h.test", _ => Text(forged));

        (await StaleWithoutEvidenceAsync("sees-split")).ShouldContain("split");

        (await Claiming.Node.Store.ReadFollowedPeerAsync(HomeOrigin))!.SplitViewAt.ShouldNotBeNull();
        var recorded = (await Claiming.Node.Store.ReadStreamAsync(Ledger.Domain.Witnessing.WitnessStreams.Federation, 1, ReadDirection.Forward, 10)).ShouldHaveSingleItem();
        var split = FederationEventCodec.TryParse(recorded.Type, recorded.Data, out var parsed, out _) ? parsed.ShouldBeOfType<SplitViewDetected>() : throw new InvalidOperationException("not parsed");
        split.Source.ShouldBe("governance-attestation");
        split.Origin.ShouldBe(HomeOrigin);
        split.HeldNote.ShouldBe(held.Note);

        // The real home back: it is not asked again, and claims for its domains stay refused.
        _router.Route("h.test", Home);
        (await StaleWithoutEvidenceAsync("after")).ShouldContain("no longer trusted");
        await ClaimingClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task Bad_input_appends_nothing_and_the_ledger_alone_records_governance_evidence()
    {
        await SetUpAsync(homeDomains: [Domain]);
        await PublishAsync(Story.PolicyDigest);
        var story = NewStory("bad-input");
        await ClaimingClient().AppendCreatedAsync(story.Stream, Story.Body(0, story.Intent()));

        var malformed = story.Governance();
        malformed["data"]!["syncedDomains"] = new JsonArray(new JsonObject { ["domain"] = Domain, ["policyDigest"] = "sha256:nope", ["syncedAt"] = "yesterday" });
        using (var response = await ClaimingClient().AppendAsync(story.Stream, Story.Body(1, malformed)))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        }

        string note;
        using (var http = Home.CreateClient())
        {
            note = await http.GetStringAsync("/v1/log/checkpoint");
        }

        var forgedEvidence = story.Event("forged-evidence", "federation.governance-attested.v1", JsonNode.Parse(ExecutionEventCodec.ToData(new GovernanceAttested(
            HomeOrigin, Story.PolicyDigest, note, 1, 1, [Domain], [Domain], [], DateTimeOffset.UnixEpoch)).GetRawText())!.AsObject());
        using (var response = await ClaimingClient().AppendAsync(story.Stream, Story.Body(1, forgedEvidence)))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, await response.Content.ReadAsStringAsync());
        }

        (await StreamAsync(story)).Select(e => e.Type).ShouldBe(["execution.intent-declared.v1"]);
        await ClaimingClient().AppendCreatedAsync(story.Stream, Story.Body(1, story.Governance()));
        await ClaimingClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task The_governance_attestation_endpoint_answers_404_without_home_domains_and_400_for_a_bad_from()
    {
        await SetUpAsync(homeDomains: []);
        using var http = Home.CreateClient();

        using var none = await http.GetAsync("/v1/governance/attestation");
        none.StatusCode.ShouldBe(HttpStatusCode.NotFound, await none.Content.ReadAsStringAsync());
        none.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var bad = await http.GetAsync("/v1/governance/attestation?from=-1");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await bad.Content.ReadAsStringAsync());

        // And a claim on the peer's behalf is then refused: the peer proves nothing.
        (await RefusedAsync(NewStory("homeless"))).GetProperty("reason").GetString().ShouldBe("governance-stale");
        await ClaimingClient().ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_lineage_export_carries_the_governance_attestation_and_the_verifier_checks_it_again_offline()
    {
        await SetUpAsync(homeDomains: [Domain]);
        await PublishAsync(Story.PolicyDigest);
        var story = NewStory("lineage");
        await ClaimingClient().StartExecutionAsync(story);
        await ClaimingClient().SignCheckpointAsync();
        await HomeClient().SignCheckpointAsync();
        using var claimingHttp = Claiming.CreateClient();
        using var homeHttp = Home.CreateClient();
        var lineage = Encoding.UTF8.GetString(await claimingHttp.GetByteArrayAsync(new Uri($"/v1/export?lineage={story.Id}", UriKind.Relative)));
        lineage.Split("\"record\":\"attestation\"").Length.ShouldBe(2, "one attestation record: the governance attestation before its record");
        var keys = new[] { (await claimingHttp.GetStringAsync(new Uri("/v1/log/key", UriKind.Relative))).Trim(), (await homeHttp.GetStringAsync(new Uri("/v1/log/key", UriKind.Relative))).Trim() };

        var (exit, output) = Verify(lineage, keys);
        exit.ShouldBe(0, output);
        var federation = JsonDocument.Parse(output).RootElement.GetProperty("federation");
        federation.GetProperty("governanceRecords").GetInt64().ShouldBe(1, output);
        federation.GetProperty("governanceChecked").GetInt64().ShouldBe(1, output);
        federation.GetProperty("attestationsVerified").GetInt64().ShouldBe(1, output);

        // Without the home ledger's key the record is not checked: a warning, not a pass.
        var (unkeyed, unkeyedOutput) = Verify(lineage, [keys[0]]);
        unkeyed.ShouldBe(0, unkeyedOutput);
        unkeyedOutput.ShouldContain("federation.peer-not-trusted");

        // The attestation text in the bundle altered: it is no longer the one the record names.
        var record = lineage.Split('\n').First(l => l.Contains("\"record\":\"attestation\"", StringComparison.Ordinal));
        var attestation = JsonDocument.Parse(record).RootElement.GetProperty("attestation").GetString()!;
        // Written in canonical form: the serializer's default escaping (a '+' of a key name as \u002B) would make the
        // bundle unreadable rather than the attestation wrong.
        var altered = Encoding.UTF8.GetString(Ledger.Domain.Canonical.JsonCanonicalizer.Canonicalize(JsonSerializer.SerializeToUtf8Bytes(
            new { attestation = attestation.Replace("governance-attestation@v1\n", "governance-attestation@v1\n\n", StringComparison.Ordinal), record = "attestation" })));
        var (tampered, tamperedOutput) = Verify(lineage.Replace(record, altered, StringComparison.Ordinal), keys);
        tampered.ShouldBe(1, tamperedOutput);
        tamperedOutput.ShouldContain("federation.attestation-digest-mismatch");
    }

    private static (int Exit, string Output) Verify(string bundle, IReadOnlyList<string> keys)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, bundle, new UTF8Encoding(false));
            using var output = new StringWriter();
            var exit = Ledger.Verifier.Program.Run([file, .. keys.SelectMany(k => new[] { "--trust", k }), "--json"], output, output);
            return (exit, output.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task SetUpAsync(IReadOnlyList<string> homeDomains)
    {
        var settings = new Dictionary<string, string> { ["Ledger:Origin"] = HomeOrigin };
        for (var i = 0; i < homeDomains.Count; i++)
        {
            settings[$"Ledger:HomeDomains:{i}"] = homeDomains[i];
        }

        _home = new LedgerApp("sqlite", null, settings);
        using (var http = Home.CreateClient())
        {
            var key = (await http.GetStringAsync("/v1/log/key")).Trim();
            _claiming = new LedgerApp(
                "sqlite", null,
                new Dictionary<string, string>
                {
                    ["Ledger:Origin"] = ClaimingOrigin,
                    ["Ledger:FollowInterval"] = "01:00:00",
                    ["Ledger:Peers:0:Origin"] = HomeOrigin,
                    ["Ledger:Peers:0:Key"] = key,
                    ["Ledger:Peers:0:Url"] = "http://h.test/",
                    ["Ledger:Peers:0:HomeDomains:0"] = Domain,
                },
                services: s => s.AddHttpClient(HttpPeerTransport.ClientName).ConfigurePrimaryHttpMessageHandler(_router.Handler));
        }

        _router.Route("h.test", Home);
    }

    private Story NewStory(string name, DateTimeOffset? now = null) =>
        new($"{name}-{Guid.NewGuid().ToString("N")[..8]}", now ?? Claiming.Clock.GetUtcNow());

    private async Task<long> PublishAsync(string digest)
    {
        var body = Story.Body(-1, new JsonObject
        {
            ["eventId"] = "publish-" + Guid.NewGuid().ToString("N")[..8],
            ["type"] = "governance.policy-published.v1",
            ["domain"] = Domain,
            ["data"] = new JsonObject { ["domain"] = Domain, ["policyId"] = "finance", ["policyDigest"] = digest },
        });
        return await HomeClient().AppendCreatedAsync("$governance", body);
    }

    /// <summary>Declares the story and submits its claim: 422; the problem's body.</summary>
    private async Task<JsonElement> RefusedAsync(Story story)
    {
        await ClaimingClient().AppendCreatedAsync(story.Stream, Story.Body(0, story.Intent()));
        using var response = await ClaimingClient().AppendAsync(story.Stream, Story.Body(1, story.Governance()));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A claim refused governance-stale with nothing but the denial after the intent; the detail.</summary>
    private async Task<string> StaleWithoutEvidenceAsync(string name, DateTimeOffset? now = null)
    {
        var story = NewStory(name, now);
        var problem = await RefusedAsync(story);
        problem.GetProperty("reason").GetString().ShouldBe("governance-stale");
        (await StreamAsync(story)).Select(e => e.Type).ShouldBe(["execution.intent-declared.v1", "execution.denied.v1"]);
        return problem.GetProperty("detail").GetString()!;
    }

    private async Task<IReadOnlyList<LedgerEntry>> StreamAsync(Story story) =>
        await Claiming.Node.Store.ReadStreamAsync(story.Stream, 1, ReadDirection.Forward, 100);

    private static GovernanceAttested Evidence(LedgerEntry entry) =>
        ExecutionEventCodec.TryParse(entry.Type, entry.Data, out var parsed, out var errors)
            ? parsed.ShouldBeOfType<GovernanceAttested>()
            : throw new InvalidOperationException(string.Join("; ", errors));

    private async Task<string> GovernanceAttestationAsync()
    {
        using var http = Home.CreateClient();
        return await http.GetStringAsync("/v1/governance/attestation");
    }

    private static HttpResponseMessage Text(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };

    private LedgerClient HomeClient() => new(Home.CreateClient(), Home.FirstStart.DevToken, Home.FirstStart.AdminToken);

    private LedgerClient ClaimingClient() => new(Claiming.CreateClient(), Claiming.FirstStart.DevToken, Claiming.FirstStart.AdminToken);
}
