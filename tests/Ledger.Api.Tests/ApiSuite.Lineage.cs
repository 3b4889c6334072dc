using System.Net;
using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests;

// Fail closed across a lineage: remote parents, ended ancestors, retried refusals.
public abstract partial class ApiSuite
{
    [Fact]
    public async Task A_parent_on_a_ledger_that_is_not_a_peer_is_refused_lineage_broken_naming_that_ledger()
    {
        var child = new Story(NewId("remote-child"), App.Clock.GetUtcNow(), parent: ("evil.example/log", "does-not-exist"));

        var problem = await ProblemAsync(await AppendAsync(child.Stream, Story.Body(0, child.Intent())), HttpStatusCode.UnprocessableEntity, "lifecycle-violation");

        problem.GetProperty("reason").GetString().ShouldBe("lineage-broken");
        problem.GetProperty("detail").GetString()!.ShouldContain("'evil.example/log' is not a peer of this ledger");
        (await DecisionAsync(child.Id)).GetProperty("allowed").GetBoolean().ShouldBeFalse();
        await ExportVerifiesAsync();
    }

    [Fact]
    public async Task Nothing_below_a_halted_ancestor_may_proceed_and_the_grandchildren_end_too()
    {
        var root = NewStory("anc-root");
        await RunAsync(root, 0, root.UpToStart());
        var child = NewStory("anc-child", parent: root);
        await RunAsync(child, 0, child.UpToStart());
        var grandchild = NewStory("anc-grandchild", parent: child);
        await RunAsync(grandchild, 0, grandchild.UpToStart());

        await CreatedAsync(await AppendAsync(root.Stream, Story.Body(5, root.Halted())));

        // Whether or not the cascade has landed yet: the grandchild may not act, and what it submits is refused.
        (await DecisionAsync(grandchild.Id)).GetProperty("allowed").GetBoolean().ShouldBeFalse();
        var late = NewStory("anc-late", parent: grandchild);
        var refused = await AppendAsync(late.Stream, Story.Body(0, late.Intent()));
        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var verification = await AppendAsync(grandchild.Stream, Story.Body(-1, grandchild.Verified()));
        verification.StatusCode.ShouldBeOneOf(HttpStatusCode.UnprocessableEntity, HttpStatusCode.Conflict);

        await CascadesFinishedAsync();
        foreach (var story in new[] { child, grandchild })
        {
            var decision = await DecisionAsync(story.Id);
            decision.GetProperty("status").GetString().ShouldBe("halted");
            decision.GetProperty("reason").GetString().ShouldBe("parent-halted");
        }

        await ExportVerifiesAsync();
    }

    [Fact]
    public async Task Retrying_a_refused_submission_returns_the_original_refusal_and_appends_nothing()
    {
        var story = NewStory("retry-refused");
        await RunAsync(story, 0, story.UpToStart());
        var drift = Story.Body(5, story.Verified(measurement: Story.Digest("tampered image")));

        var first = await ProblemAsync(await AppendAsync(story.Stream, drift), HttpStatusCode.UnprocessableEntity, "lifecycle-violation");
        var size = (await LogAsync()).Size;
        var again = await ProblemAsync(await AppendAsync(story.Stream, drift), HttpStatusCode.UnprocessableEntity, "lifecycle-violation");

        again.GetProperty("reason").GetString().ShouldBe("measurement-drift");
        again.GetProperty("position").GetInt64().ShouldBe(first.GetProperty("position").GetInt64());
        again.GetProperty("rejected").GetProperty("digest").GetString().ShouldBe(first.GetProperty("rejected").GetProperty("digest").GetString());
        (await LogAsync()).Size.ShouldBe(size);
    }

    [Fact]
    public async Task Retrying_a_refused_event_id_with_other_content_is_a_conflict()
    {
        var story = NewStory("retry-other");
        await RunAsync(story, 0, story.UpToStart());
        await ProblemAsync(
            await AppendAsync(story.Stream, Story.Body(5, story.Verified(measurement: Story.Digest("tampered image")))),
            HttpStatusCode.UnprocessableEntity, "lifecycle-violation");

        var other = await AppendAsync(story.Stream, Story.Body(5, story.Verified(measurement: Story.Digest("another image"))));

        other.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }
}
