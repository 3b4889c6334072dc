using System.Net;
using System.Text.Json;

namespace Ledger.Api.Tests;

public abstract partial class ApiSuite
{
    [Fact]
    public async Task The_decision_allows_only_a_running_execution_and_says_until_when()
    {
        var story = NewStory("decision");
        await RunAsync(story, 0, story.Intent(), story.Governance(), story.Authorization(), story.Trust());

        var beforeStart = await DecisionAsync(story.Id);
        beforeStart.GetProperty("allowed").GetBoolean().ShouldBeFalse();
        beforeStart.GetProperty("status").GetString().ShouldBe("trusted");
        beforeStart.GetProperty("phase").GetString().ShouldBe("runtime-trust");
        beforeStart.GetProperty("validUntil").ValueKind.ShouldBe(JsonValueKind.Null);

        await RunAsync(story, 4, story.Start());
        var running = await DecisionAsync(story.Id);
        running.GetProperty("allowed").GetBoolean().ShouldBeTrue();
        running.GetProperty("status").GetString().ShouldBe("running");
        running.GetProperty("reason").ValueKind.ShouldBe(JsonValueKind.Null);
        var validUntil = running.GetProperty("validUntil").GetDateTimeOffset();
        validUntil.ShouldBeGreaterThan(App.Clock.GetUtcNow());
        validUntil.ShouldBeLessThanOrEqualTo(App.Clock.GetUtcNow().AddMinutes(5)); // maxVerificationInterval after start

        await RunAsync(story, 5, story.Verified(), story.Completed());
        var completed = await DecisionAsync(story.Id);
        completed.GetProperty("allowed").GetBoolean().ShouldBeFalse();
        completed.GetProperty("status").GetString().ShouldBe("completed");
        completed.GetProperty("phase").GetString().ShouldBe("end");
    }

    [Fact]
    public async Task The_decision_withdraws_the_allowance_when_verification_is_overdue()
    {
        var story = NewStory("overdue");
        await RunAsync(story, 0, story.UpToStart());

        App.Clock.Advance(TimeSpan.FromMinutes(6));
        var overdue = await DecisionAsync(story.Id);

        overdue.GetProperty("allowed").GetBoolean().ShouldBeFalse();
        overdue.GetProperty("reason").GetString().ShouldBe("runtime-verification-missed");
    }

    [Fact]
    public async Task Any_authenticated_caller_may_ask_for_a_decision_and_nobody_else()
    {
        var story = NewStory("decision-auth");
        await RunAsync(story, 0, story.Intent());

        (await GetAsync($"/v1/executions/{story.Id}/decision", AdminToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ProblemAsync(await GetAsync($"/v1/executions/{story.Id}/decision"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task The_decision_for_an_unknown_execution_is_not_found()
    {
        await ProblemAsync(await GetAsync($"/v1/executions/{NewId("unknown")}/decision", DevToken), HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("bad%20id")]
    [InlineData("a%2Fb")]
    [InlineData("%C3%A9t%C3%A9")]
    public async Task The_decision_for_a_malformed_execution_id_is_out_of_range(string id)
    {
        await ProblemAsync(await GetAsync($"/v1/executions/{id}/decision", DevToken), HttpStatusCode.BadRequest, "out-of-range");
    }

    private async Task<JsonElement> DecisionAsync(string executionId) =>
        await JsonAsync(await GetAsync($"/v1/executions/{executionId}/decision", DevToken));
}
