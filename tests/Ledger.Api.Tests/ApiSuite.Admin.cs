using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Crypto;
using Ledger.Domain.Log;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Api.Tests;

public abstract partial class ApiSuite
{
    [Fact]
    public async Task An_emitter_registered_with_an_ecdsa_key_and_signatures_required_appends_only_signed_events()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        var emitter = await RegisterEmitterAsync("gcp-gov", ["gcp.example"], key.VerificationKey.Text, signaturesRequired: true);
        var token = await MintTokenAsync(emitter);
        var story = NewStory("signed", domain: "gcp.example");

        await RefusedWithoutAppendAsync(() => AppendAsync(story.Stream, Story.Body(0, story.Intent()), token), HttpStatusCode.BadRequest, "signature-required");
        var intent = Sign(story.Intent(), story.Stream, emitter, key);
        var created = await CreatedAsync(await AppendAsync(story.Stream, Story.Body(0, intent), token));

        var entry = await EntryAsync(created.GetProperty("positions")[0].GetInt64());
        entry.Emitter.ShouldBe(emitter);
        entry.Signature.ShouldNotBeNull();
        entry.Signature.KeyId.ShouldBe(key.VerificationKey.KeyId);
        entry.Signature.Alg.ShouldBe("ecdsa-p256-sha256");
        EmitterSigner.Verify(entry.Statement, entry.Signature, key.VerificationKey).ShouldBeTrue();
        var registered = (await JsonAsync(await AdminAsync(HttpMethod.Get, "/v1/admin/emitters"))).EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == emitter);
        registered.GetProperty("publicKey").GetString().ShouldBe(key.VerificationKey.Text);
        registered.GetProperty("signaturesRequired").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task An_emitter_writes_only_for_its_own_domains()
    {
        var emitter = await RegisterEmitterAsync("azure-gov", ["azure.example"], null, signaturesRequired: false);
        var token = await MintTokenAsync(emitter);
        var foreign = NewStory("foreign", domain: "aws.example");
        var own = NewStory("own", domain: "azure.example");

        var problem = await RefusedWithoutAppendAsync(
            () => AppendAsync(foreign.Stream, Story.Body(0, foreign.Intent()), token), HttpStatusCode.Forbidden, "forbidden");

        problem.GetProperty("detail").GetString()!.ShouldContain("aws.example");
        await CreatedAsync(await AppendAsync(own.Stream, Story.Body(0, own.Intent()), token));
        var mixed = own.Governance();
        mixed["domain"] = "aws.example";
        await RefusedWithoutAppendAsync(() => AppendAsync(own.Stream, Story.Body(1, mixed), token), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_minted_token_works_until_it_is_revoked()
    {
        var minted = await JsonAsync(await AdminAsync(HttpMethod.Post, "/v1/admin/tokens", new JsonObject { ["subject"] = "dev" }), HttpStatusCode.Created);
        var token = minted.GetProperty("token").GetString()!;
        var tokenId = minted.GetProperty("tokenId").GetString()!;
        minted.GetProperty("role").GetString().ShouldBe("emitter");
        token.ShouldStartWith($"glt_{tokenId}_");
        var story = NewStory("minted");
        await CreatedAsync(await AppendAsync(story.Stream, Story.Body(0, story.Intent()), token));

        (await AdminAsync(HttpMethod.Delete, $"/v1/admin/tokens/{tokenId}?reason=rotated")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var problem = await RefusedWithoutAppendAsync(
            () => AppendAsync(story.Stream, Story.Body(1, story.Governance()), token), HttpStatusCode.Unauthorized, "unauthenticated");
        problem.GetProperty("detail").GetString()!.ShouldContain("revoked");
        await ProblemAsync(await AdminAsync(HttpMethod.Delete, $"/v1/admin/tokens/{tokenId}"), HttpStatusCode.Conflict, "registry-conflict");
        await ProblemAsync(await AdminAsync(HttpMethod.Delete, "/v1/admin/tokens/0000000000000000"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_revoked_emitter_loses_its_tokens_and_its_name()
    {
        var emitter = await RegisterEmitterAsync("edge-gov", ["edge.example"], null, signaturesRequired: false);
        var token = await MintTokenAsync(emitter);
        var story = NewStory("revoked-emitter", domain: "edge.example");
        await CreatedAsync(await AppendAsync(story.Stream, Story.Body(0, story.Intent()), token));

        (await AdminAsync(HttpMethod.Delete, $"/v1/admin/emitters/{emitter}?reason=decommissioned")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await RefusedWithoutAppendAsync(() => AppendAsync(story.Stream, Story.Body(1, story.Governance()), token), HttpStatusCode.Unauthorized, "unauthenticated");
        await ProblemAsync(await AdminAsync(HttpMethod.Post, "/v1/admin/tokens", new JsonObject { ["subject"] = emitter }), HttpStatusCode.NotFound, "not-found");
        await ProblemAsync(await RegisterAsync(emitter, ["edge.example"], null, false), HttpStatusCode.Conflict, "registry-conflict");
        await ProblemAsync(await AdminAsync(HttpMethod.Delete, $"/v1/admin/emitters/{emitter}"), HttpStatusCode.Conflict, "registry-conflict");
        await ProblemAsync(await AdminAsync(HttpMethod.Delete, $"/v1/admin/emitters/{NewId("nobody")}"), HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("name", "$ledger")]
    [InlineData("name", "")]
    [InlineData("publicKey", "ecdsa-p256:bm90IGEga2V5")]
    [InlineData("publicKey", "rsa:AAAA")]
    [InlineData("domains", "")]
    public async Task Registering_an_invalid_emitter_is_refused_without_append(string field, string value)
    {
        var body = new JsonObject { ["name"] = NewId("bad-emitter"), ["domains"] = new JsonArray("bad.example"), ["publicKey"] = null, ["signaturesRequired"] = false };
        body[field] = field == "domains" ? new JsonArray() : value;

        await RefusedWithoutAppendAsync(() => AdminAsync(HttpMethod.Post, "/v1/admin/emitters", body), HttpStatusCode.BadRequest, "validation-failed");
    }

    [Theory]
    [InlineData("{\"subject\":\"dev\",\"role\":\"root\"}", "validation-failed", 400)]
    [InlineData("{\"role\":\"emitter\"}", "validation-failed", 400)]
    [InlineData("{\"subject\":\"dev\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}", "validation-failed", 400)]
    [InlineData("{\"subject\":\"nobody-at-all\"}", "not-found", 404)]
    public async Task Minting_an_invalid_token_is_refused_without_append(string body, string slug, int status)
    {
        await RefusedWithoutAppendAsync(() => AdminAsync(HttpMethod.Post, "/v1/admin/tokens", JsonNode.Parse(body)), (HttpStatusCode)status, slug);
    }

    [Fact]
    public async Task An_admin_token_can_mint_another_admin_token()
    {
        var minted = await JsonAsync(await AdminAsync(HttpMethod.Post, "/v1/admin/tokens", new JsonObject { ["subject"] = "operator", ["role"] = "admin" }), HttpStatusCode.Created);

        var token = minted.GetProperty("token").GetString()!;
        (await AdminAsync(HttpMethod.Get, "/v1/admin/emitters", token: token)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ProblemAsync(await AppendAsync(NewStory("admin-append").Stream, Story.Body(0, NewStory("x").Intent()), token), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Ledger_parameters_are_configured_by_appending_to_the_ledger_stream()
    {
        var before = await App.Node.Store.GetStreamVersionAsync("$ledger");
        var body = new JsonObject { ["maxPolicyAge"] = "PT12H", ["maxAuthorizationTtl"] = "PT24H", ["maxVerificationInterval"] = "PT1M", ["intentTtl"] = "PT1H" };
        try
        {
            (await AdminAsync(HttpMethod.Put, "/v1/admin/parameters", body)).StatusCode.ShouldBe(HttpStatusCode.OK);

            (await App.Node.Store.GetStreamVersionAsync("$ledger")).ShouldBe(before + 1);
            var story = NewStory("parameters");
            await RunAsync(story, 0, story.UpToStart());
            var validUntil = (await DecisionAsync(story.Id)).GetProperty("validUntil").GetDateTimeOffset();
            validUntil.ShouldBeLessThanOrEqualTo(App.Clock.GetUtcNow().AddMinutes(1));
        }
        finally
        {
            body["maxPolicyAge"] = "PT24H";
            body["maxVerificationInterval"] = "PT5M";
            (await AdminAsync(HttpMethod.Put, "/v1/admin/parameters", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Theory]
    [InlineData("maxPolicyAge", "5 minutes")]
    [InlineData("maxVerificationInterval", "PT0S")]
    [InlineData("intentTtl", "-PT1H")]
    [InlineData("maxAuthorizationTtl", null)]
    public async Task Invalid_ledger_parameters_are_refused_without_append(string field, string? value)
    {
        var body = new JsonObject { ["maxPolicyAge"] = "PT24H", ["maxAuthorizationTtl"] = "PT24H", ["maxVerificationInterval"] = "PT5M", ["intentTtl"] = "PT1H" };
        body[field] = value;

        var problem = await RefusedWithoutAppendAsync(() => AdminAsync(HttpMethod.Put, "/v1/admin/parameters", body), HttpStatusCode.BadRequest, "validation-failed");

        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("maxPolicyAge", "P1Y", "must be a positive ISO 8601 duration")]
    [InlineData("maxAuthorizationTtl", "P1M", "must be a positive ISO 8601 duration")]
    [InlineData("intentTtl", "P2W", "must be a positive ISO 8601 duration")]
    [InlineData("intentTtl", "PT1H ", "must be a positive ISO 8601 duration")]
    [InlineData("intentTtl", "P10675199D", "must be between PT0.000001S and P366D (PT8784H)")]
    [InlineData("maxVerificationInterval", "P9999999D", "must be between PT0.000001S and P366D (PT8784H)")]
    [InlineData("maxPolicyAge", "P367D", "must be between PT0.000001S and P366D (PT8784H)")]
    [InlineData("maxAuthorizationTtl", "PT8784H0.000001S", "must be between PT0.000001S and P366D (PT8784H)")]
    public async Task Ledger_parameters_outside_the_duration_grammar_or_the_bounds_are_refused_naming_field_value_and_range(string field, string value, string message)
    {
        var body = new JsonObject { ["maxPolicyAge"] = "PT24H", ["maxAuthorizationTtl"] = "PT24H", ["maxVerificationInterval"] = "PT5M", ["intentTtl"] = "PT1H" };
        body[field] = value;

        var problem = await RefusedWithoutAppendAsync(() => AdminAsync(HttpMethod.Put, "/v1/admin/parameters", body), HttpStatusCode.BadRequest, "validation-failed");

        var error = problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
        error.ShouldStartWith($"{field} {message}");
        error.ShouldEndWith($"found '{value}'");
        problem.GetProperty("errors").EnumerateObject().Count().ShouldBe(1);
    }

    [Fact]
    public async Task Ledger_parameters_at_the_bound_are_accepted_and_decisions_and_the_sweep_still_answer()
    {
        var body = new JsonObject { ["maxPolicyAge"] = "P366D", ["maxAuthorizationTtl"] = "PT8784H", ["maxVerificationInterval"] = "P366D", ["intentTtl"] = "P366D" };
        try
        {
            (await AdminAsync(HttpMethod.Put, "/v1/admin/parameters", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
            var story = NewStory("bounded-parameters");
            await RunAsync(story, 0, story.UpToStart());
            var waiting = NewStory("bounded-intent");
            await RunAsync(waiting, 0, waiting.Intent());

            App.Clock.Advance(TimeSpan.FromMinutes(30)); // past the default maxVerificationInterval, inside the authorization
            await App.Services.GetRequiredService<Ledger.Application.Jobs.SweepJob>().RunOnceAsync(CancellationToken.None);

            (await DecisionAsync(story.Id)).GetProperty("allowed").GetBoolean().ShouldBeTrue();
            App.Clock.Advance(TimeSpan.FromHours(2)); // past the default intentTtl
            await App.Services.GetRequiredService<Ledger.Application.Jobs.SweepJob>().RunOnceAsync(CancellationToken.None);
            (await DecisionAsync(waiting.Id)).GetProperty("status").GetString().ShouldBe("declared");
        }
        finally
        {
            body = new JsonObject { ["maxPolicyAge"] = "PT24H", ["maxAuthorizationTtl"] = "PT24H", ["maxVerificationInterval"] = "PT5M", ["intentTtl"] = "PT1H" };
            (await AdminAsync(HttpMethod.Put, "/v1/admin/parameters", body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Theory]
    [InlineData("domains", 65)]
    [InlineData("domains[1]", 257)]
    [InlineData("name", 129)]
    [InlineData("publicKey", 257)]
    public async Task Registering_an_emitter_over_a_size_limit_is_refused_without_append(string field, int size)
    {
        var body = new JsonObject { ["name"] = NewId("big"), ["domains"] = new JsonArray("big.example"), ["publicKey"] = null, ["signaturesRequired"] = false };
        switch (field)
        {
            case "domains":
                body["domains"] = new JsonArray([.. Enumerable.Range(0, size).Select(i => (JsonNode)JsonValue.Create($"d{i}.example"))]);
                break;
            case "domains[1]":
                body["domains"] = new JsonArray("big.example", new string('d', size));
                break;
            case "name":
                body["name"] = new string('n', size);
                break;
            default:
                body["publicKey"] = "ed25519:" + new string('A', size - 8);
                break;
        }

        var problem = await RefusedWithoutAppendAsync(() => AdminAsync(HttpMethod.Post, "/v1/admin/emitters", body), HttpStatusCode.BadRequest, "validation-failed");

        problem.GetProperty("errors").GetProperty(field)[0].GetString()!.ShouldContain($"found {size}");
    }

    [Fact]
    public async Task An_emitter_with_64_domains_is_registered()
    {
        var domains = Enumerable.Range(0, 64).Select(i => $"d{i}.example").ToList();

        await RegisterEmitterAsync("many-domains", domains, null, signaturesRequired: false);
    }

    [Theory]
    [InlineData("/v1/admin/emitters/dev")]
    [InlineData("/v1/admin/tokens/0000000000000000")]
    public async Task A_revocation_reason_over_the_length_limit_is_refused_without_append(string path)
    {
        var problem = await RefusedWithoutAppendAsync(
            () => AdminAsync(HttpMethod.Delete, $"{path}?reason={new string('r', 1025)}"), HttpStatusCode.BadRequest, "validation-failed");

        problem.GetProperty("errors").GetProperty("reason")[0].GetString()!.ShouldContain("at most 1024 characters, found 1025");
    }

    [Fact]
    public async Task A_token_subject_over_the_length_limit_is_refused_without_append()
    {
        var body = new JsonObject { ["subject"] = new string('s', 129), ["role"] = "admin" };

        var problem = await RefusedWithoutAppendAsync(() => AdminAsync(HttpMethod.Post, "/v1/admin/tokens", body), HttpStatusCode.BadRequest, "validation-failed");

        problem.GetProperty("errors").GetProperty("subject")[0].GetString()!.ShouldContain("found 129 characters");
    }

    [Theory]
    [InlineData("POST", "/v1/admin/emitters", "{\"name\":\"dup-a\",\"name\":\"dup-b\",\"domains\":[\"dup.example\"],\"publicKey\":null,\"signaturesRequired\":false}", "name")]
    [InlineData("POST", "/v1/admin/emitters", "{\"name\":\"dup-c\",\"domains\":[\"a.example\"],\"domains\":[\"*\"],\"publicKey\":null,\"signaturesRequired\":false}", "domains")]
    [InlineData("POST", "/v1/admin/tokens", "{\"subject\":\"dev\",\"role\":\"emitter\",\"role\":\"admin\"}", "role")]
    [InlineData("PUT", "/v1/admin/parameters", "{\"maxPolicyAge\":\"PT24H\",\"maxAuthorizationTtl\":\"PT24H\",\"maxVerificationInterval\":\"PT5M\",\"intentTtl\":\"PT1H\",\"intentTtl\":\"PT2H\"}", "intentTtl")]
    public async Task An_admin_body_with_a_duplicate_key_is_refused_naming_the_key(string method, string path, string body, string key)
    {
        var problem = await RefusedWithoutAppendAsync(
            () => SendAsync(new HttpMethod(method), path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), AdminToken),
            HttpStatusCode.BadRequest,
            "bad-request");

        problem.GetProperty("detail").GetString()!.ShouldContain($"'{key}'");
    }

    [Theory]
    [InlineData("GET", "/v1/admin/emitters")]
    [InlineData("POST", "/v1/admin/emitters")]
    [InlineData("DELETE", "/v1/admin/emitters/dev")]
    [InlineData("POST", "/v1/admin/tokens")]
    [InlineData("DELETE", "/v1/admin/tokens/0000000000000000")]
    [InlineData("PUT", "/v1/admin/parameters")]
    [InlineData("POST", "/v1/admin/checkpoint")]
    public async Task Admin_endpoints_refuse_callers_without_an_admin_token(string method, string path)
    {
        var body = new JsonObject();
        await RefusedWithoutAppendAsync(() => AdminAsync(new HttpMethod(method), path, body, token: DevToken), HttpStatusCode.Forbidden, "forbidden");
        using var anonymous = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent(body) };
        await RefusedWithoutAppendAsync(() => Http.SendAsync(anonymous), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    protected async Task<string> RegisterEmitterAsync(string hint, IReadOnlyList<string> domains, string? publicKey, bool signaturesRequired)
    {
        var name = NewId(hint);
        var created = await JsonAsync(await RegisterAsync(name, domains, publicKey, signaturesRequired), HttpStatusCode.Created);
        created.GetProperty("position").GetInt64().ShouldBeGreaterThan(0);
        return name;
    }

    protected async Task<string> MintTokenAsync(string emitter)
    {
        var minted = await JsonAsync(await AdminAsync(HttpMethod.Post, "/v1/admin/tokens", new JsonObject { ["subject"] = emitter }), HttpStatusCode.Created);
        return minted.GetProperty("token").GetString()!;
    }

    /// <summary>Adds the emitter's signature over the event's statement on <paramref name="stream"/>.</summary>
    protected static JsonObject Sign(JsonObject submitted, string stream, string emitter, SigningKey key)
    {
        var signature = EmitterSigner.Sign(StatementOf(stream, submitted, emitter), key);
        submitted["signature"] = SignatureJson(signature);
        return submitted;
    }

    protected static JsonObject SignatureJson(EmitterSignature signature) =>
        new() { ["alg"] = signature.Alg, ["keyId"] = signature.KeyId, ["value"] = signature.Value };

    private Task<HttpResponseMessage> RegisterAsync(string name, IReadOnlyList<string> domains, string? publicKey, bool signaturesRequired) =>
        AdminAsync(HttpMethod.Post, "/v1/admin/emitters", new JsonObject
        {
            ["name"] = name,
            ["domains"] = new JsonArray([.. domains.Select(d => (JsonNode)JsonValue.Create(d))]),
            ["publicKey"] = publicKey,
            ["signaturesRequired"] = signaturesRequired,
        });

    private static StringContent JsonContent(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}
