using System.Net;
using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests;

public abstract partial class ApiSuite
{
    [Fact]
    public async Task An_append_at_a_stale_expected_version_is_a_conflict_and_appends_nothing()
    {
        var story = NewStory("stale");
        await RunAsync(story, 0, story.Intent(), story.Governance());

        var problem = await RefusedWithoutAppendAsync(
            () => AppendAsync(story.Stream, Story.Body(1, story.Authorization())), HttpStatusCode.Conflict, "version-conflict");

        problem.GetProperty("expectedVersion").GetInt64().ShouldBe(1);
        problem.GetProperty("actualVersion").GetInt64().ShouldBe(2);
        await RefusedWithoutAppendAsync(() => AppendAsync(story.Stream, Story.Body(0, story.Authorization())), HttpStatusCode.Conflict, "version-conflict");
        await RefusedWithoutAppendAsync(() => AppendAsync(story.Stream, Story.Body(5, story.Authorization())), HttpStatusCode.Conflict, "version-conflict");
    }

    [Fact]
    public async Task Two_concurrent_appends_at_the_same_expected_version_are_one_success_and_one_conflict()
    {
        for (var round = 0; round < 5; round++)
        {
            var story = NewStory("race");
            await RunAsync(story, 0, story.Intent());
            var first = story.Governance();
            var second = story.Governance();
            second["eventId"] = story.Id + "-governance-again";
            var before = await LogAsync();

            var responses = await Task.WhenAll(
                Task.Run(() => AppendAsync(story.Stream, Story.Body(1, first))),
                Task.Run(() => AppendAsync(story.Stream, Story.Body(1, second))));

            responses.Select(r => r.StatusCode).Order().ShouldBe([HttpStatusCode.Created, HttpStatusCode.Conflict]);
            await ProblemAsync(responses.Single(r => r.StatusCode == HttpStatusCode.Conflict), HttpStatusCode.Conflict, "version-conflict");
            (await LogAsync()).Size.ShouldBe(before.Size + 1);
            (await App.Node.Store.GetStreamVersionAsync(story.Stream)).ShouldBe(2);
        }
    }

    [Fact]
    public async Task Concurrent_appends_at_any_version_are_decided_one_after_the_other()
    {
        var story = NewStory("any-version");
        await RunAsync(story, 0, story.UpToStart());
        var before = await LogAsync();

        var responses = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => Task.Run(() => AppendAsync(story.Stream, Story.Body(-1, story.Verified(i))))));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
        (await LogAsync()).Size.ShouldBe(before.Size + 4);
        (await App.Node.Store.GetStreamVersionAsync(story.Stream)).ShouldBe(9);
    }

    [Fact]
    public async Task A_reused_event_id_with_the_same_content_answers_the_original_result()
    {
        var story = NewStory("retry");
        var body = Story.Body(0, story.Intent(), story.Governance());
        var original = await CreatedAsync(await AppendAsync(story.Stream, body));
        var before = await LogAsync();

        var retried = await CreatedAsync(await AppendAsync(story.Stream, body));

        var after = await LogAsync();
        after.Size.ShouldBe(before.Size);
        after.Latest.ShouldBe(before.Latest);
        original.GetProperty("replayed").GetBoolean().ShouldBeFalse();
        retried.GetProperty("replayed").GetBoolean().ShouldBeTrue();
        retried.GetProperty("positions").GetRawText().ShouldBe(original.GetProperty("positions").GetRawText());
        retried.GetProperty("entries").GetRawText().ShouldBe(original.GetProperty("entries").GetRawText());
        var single = await CreatedAsync(await AppendAsync(story.Stream, Story.Body(0, story.Governance())));
        single.GetProperty("positions")[0].GetInt64().ShouldBe(original.GetProperty("positions")[1].GetInt64());
    }

    [Fact]
    public async Task A_reused_event_id_with_other_content_is_a_conflict_and_appends_nothing()
    {
        var story = NewStory("reuse");
        await RunAsync(story, 0, story.Intent());
        var changed = story.Intent();
        changed["data"]!["action"] = "delete-invoices";

        var problem = await RefusedWithoutAppendAsync(() => AppendAsync(story.Stream, Story.Body(-1, changed)), HttpStatusCode.Conflict, "event-id-conflict");

        problem.GetProperty("eventId").GetString().ShouldBe(story.Id + "-intent");
        var elsewhere = NewStory("elsewhere");
        var stolen = elsewhere.Intent();
        stolen["eventId"] = story.Id + "-intent";
        await RefusedWithoutAppendAsync(() => AppendAsync(elsewhere.Stream, Story.Body(0, stolen)), HttpStatusCode.Conflict, "event-id-conflict");
        await RefusedWithoutAppendAsync(
            () => AppendAsync(story.Stream, Story.Body(-1, story.Intent(), story.Governance())), HttpStatusCode.Conflict, "event-id-conflict");
    }
}
