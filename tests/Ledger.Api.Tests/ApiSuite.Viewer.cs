using System.Net;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests;

// The viewer role: a compliance team's token reads everything a reader may, and every write refuses it without
// changing the log.
public abstract partial class ApiSuite
{
    [Fact]
    public async Task A_viewer_token_is_minted_by_an_admin_and_reads_decisions_executions_and_compliance()
    {
        var viewer = await MintViewerAsync("compliance-reads");
        var story = NewStory("viewed");
        await RunAsync(story, 0, story.UpToStart());

        var decision = await JsonAsync(await GetAsync($"/v1/executions/{story.Id}/decision", viewer));
        decision.GetProperty("allowed").GetBoolean().ShouldBeTrue();
        (await GetAsync("/v1/executions?limit=5", viewer)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await GetAsync("/v1/domains/aws.example/compliance", viewer)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await GetAsync("/v1/projections", viewer)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ExportVerifiesAsync();
    }

    [Fact]
    public async Task A_viewer_token_cannot_append_and_the_log_is_unchanged()
    {
        var viewer = await MintViewerAsync("compliance-append");
        var story = NewStory("viewer-writes");
        var problem = await RefusedWithoutAppendAsync(
            () => AppendAsync(story.Stream, Story.Body(0, story.Intent()), viewer), HttpStatusCode.Forbidden, "forbidden");
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrWhiteSpace();

        var running = NewStory("viewer-halts");
        await RunAsync(running, 0, running.UpToStart());
        await RefusedWithoutAppendAsync(
            () => AppendAsync(running.Stream, Story.Body(5, running.Halted()), viewer), HttpStatusCode.Forbidden, "forbidden");
        (await JsonAsync(await GetAsync($"/v1/executions/{running.Id}/decision", viewer))).GetProperty("status").GetString().ShouldBe("running");
        await ExportVerifiesAsync();
    }

    [Theory]
    [InlineData("GET", "/v1/admin/emitters")]
    [InlineData("POST", "/v1/admin/emitters")]
    [InlineData("DELETE", "/v1/admin/emitters/dev")]
    [InlineData("POST", "/v1/admin/tokens")]
    [InlineData("DELETE", "/v1/admin/tokens/0000000000000000")]
    [InlineData("PUT", "/v1/admin/parameters")]
    [InlineData("POST", "/v1/admin/checkpoint")]
    [InlineData("POST", "/v1/projections/executions/rebuild")]
    public async Task A_viewer_token_is_forbidden_every_admin_write(string method, string path)
    {
        var viewer = await MintViewerAsync("compliance-admin");
        var body = path.EndsWith("/tokens", StringComparison.Ordinal)
            ? new JsonObject { ["subject"] = "escalation", ["role"] = "admin" }
            : path.EndsWith("/emitters", StringComparison.Ordinal)
                ? new JsonObject { ["name"] = "viewer-made", ["domains"] = new JsonArray("*"), ["signaturesRequired"] = false }
                : new JsonObject();
        await RefusedWithoutAppendAsync(() => AdminAsync(new HttpMethod(method), path, body, token: viewer), HttpStatusCode.Forbidden, "forbidden");
        await ExportVerifiesAsync();
    }

    [Fact]
    public async Task A_token_with_an_unknown_role_is_not_minted()
    {
        var problem = await RefusedWithoutAppendAsync(
            () => AdminAsync(HttpMethod.Post, "/v1/admin/tokens", new JsonObject { ["subject"] = "someone", ["role"] = "reader" }),
            HttpStatusCode.BadRequest,
            "validation-failed");
        problem.GetRawText().ShouldContain("viewer");
    }

    /// <summary>Mints a viewer token through the admin API and returns it.</summary>
    protected async Task<string> MintViewerAsync(string subject)
    {
        var minted = await JsonAsync(
            await AdminAsync(HttpMethod.Post, "/v1/admin/tokens", new JsonObject { ["subject"] = subject, ["role"] = "viewer" }), HttpStatusCode.Created);
        minted.GetProperty("role").GetString().ShouldBe("viewer");
        return minted.GetProperty("token").GetString()!;
    }
}
