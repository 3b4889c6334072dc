using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Application.Hosting;
using Ledger.Application.Jobs;
using Ledger.Domain.Log;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Api.Tests;

public abstract partial class ApiSuite
{
    [Fact]
    public async Task Child_scope_wider_than_parent_is_denied_and_the_denial_with_the_rejected_digest_is_in_the_log()
    {
        var parent = NewStory("parent", scope: ["invoices:read"]);
        await RunAsync(parent, 0, parent.UpToStart());
        var child = NewStory("child", scope: ["invoices:read", "invoices:delete"], parent: parent);
        await RunAsync(child, 0, child.Intent(), child.Governance());
        var authorization = child.Authorization();
        var before = await LogAsync();

        var problem = await ProblemAsync(
            await AppendAsync(child.Stream, Story.Body(2, authorization)), HttpStatusCode.UnprocessableEntity, "lifecycle-violation");

        var digest = StatementOf(child.Stream, authorization, "dev").Digest();
        problem.GetProperty("reason").GetString().ShouldBe("authorization-scope-exceeded");
        problem.GetProperty("rejected").GetProperty("eventId").GetString().ShouldBe(child.Id + "-authorization");
        problem.GetProperty("rejected").GetProperty("type").GetString().ShouldBe("execution.authorization-issued.v1");
        problem.GetProperty("rejected").GetProperty("digest").GetString().ShouldBe(digest);
        problem.GetProperty("position").GetInt64().ShouldBe(before.Size);
        problem.GetProperty("appended").GetArrayLength().ShouldBe(0);

        var lines = await EntriesAsync(before.Size, 100);
        lines.Count.ShouldBe(1, "only the denial was appended");
        var denial = LedgerEntry.Parse(System.Text.Encoding.UTF8.GetBytes(lines[0]));
        denial.Stream.ShouldBe(child.Stream);
        denial.Type.ShouldBe("execution.denied.v1");
        denial.Emitter.ShouldBe("$ledger");
        denial.Data.GetProperty("reason").GetString().ShouldBe("authorization-scope-exceeded");
        denial.Data.GetProperty("rejected").GetProperty("digest").GetString().ShouldBe(digest);
        denial.Data.GetProperty("rejected").GetProperty("eventId").GetString().ShouldBe(child.Id + "-authorization");

        var decision = await DecisionAsync(child.Id);
        decision.GetProperty("status").GetString().ShouldBe("denied");
        decision.GetProperty("reason").GetString().ShouldBe("authorization-scope-exceeded");
        (await DecisionAsync(parent.Id)).GetProperty("allowed").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_batch_that_breaks_a_rule_appends_its_valid_prefix_and_the_denial_together()
    {
        var story = NewStory("batch");
        var before = await LogAsync();

        var problem = await ProblemAsync(
            await AppendAsync(story.Stream, Story.Body(0, story.Intent(), story.Governance(), story.Start())),
            HttpStatusCode.UnprocessableEntity, "lifecycle-violation");

        problem.GetProperty("reason").GetString().ShouldBe("phase-order-violated");
        problem.GetProperty("rejected").GetProperty("eventId").GetString().ShouldBe(story.Id + "-start");
        problem.GetProperty("appended").EnumerateArray().Select(p => p.GetInt64()).ShouldBe([before.Size, before.Size + 1]);
        problem.GetProperty("positions").EnumerateArray().Select(p => p.GetInt64()).ShouldBe([before.Size + 2]);
        var stream = await JsonAsync(await GetAsync($"/v1/streams/{story.Stream}/events"));
        stream.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("type").GetString())
            .ShouldBe(["execution.intent-declared.v1", "execution.governance-synchronized.v1", "execution.denied.v1"]);
        (await LogAsync()).Size.ShouldBe(before.Size + 3);
    }

    [Fact]
    public async Task A_parent_halt_cascades_to_every_open_descendant_and_spares_the_ended_ones()
    {
        var parent = NewStory("cascade-parent");
        await RunAsync(parent, 0, parent.UpToStart());
        var child = NewStory("cascade-child", parent: parent);
        await RunAsync(child, 0, child.UpToStart());
        var grandchild = NewStory("cascade-grandchild", parent: child);
        await RunAsync(grandchild, 0, grandchild.Intent());
        var finished = NewStory("cascade-finished", parent: parent);
        await RunAsync(finished, 0, finished.UpToStart());
        var leftBehind = NewStory("cascade-left-behind", parent: finished);
        await RunAsync(leftBehind, 0, leftBehind.UpToStart());
        await RunAsync(finished, 5, finished.Verified(), finished.Completed());

        await RunAsync(parent, 5, parent.Halted());

        (await DecisionAsync(parent.Id)).GetProperty("status").GetString().ShouldBe("halted");
        await ShouldHaveEndedByCascadeAsync(child, "halted", "execution.halted.v1");
        await ShouldHaveEndedByCascadeAsync(grandchild, "denied", "execution.denied.v1");
        (await DecisionAsync(finished.Id)).GetProperty("status").GetString().ShouldBe("completed");
        await ShouldHaveEndedByCascadeAsync(leftBehind, "halted", "execution.halted.v1");
    }

    [Fact]
    public async Task A_parent_refused_by_the_ledger_cascades_to_its_children()
    {
        var parent = NewStory("drift-parent");
        await RunAsync(parent, 0, parent.UpToStart());
        var child = NewStory("drift-child", parent: parent);
        await RunAsync(child, 0, child.Intent());

        var problem = await ProblemAsync(
            await AppendAsync(parent.Stream, Story.Body(5, parent.Verified(measurement: Story.Digest("tampered image")))),
            HttpStatusCode.UnprocessableEntity, "lifecycle-violation");

        problem.GetProperty("reason").GetString().ShouldBe("measurement-drift");
        (await DecisionAsync(parent.Id)).GetProperty("status").GetString().ShouldBe("halted");
        await ShouldHaveEndedByCascadeAsync(child, "denied", "execution.denied.v1");
    }

    [Fact]
    public async Task A_child_of_an_execution_that_does_not_exist_is_denied()
    {
        var child = new Story(NewId("orphan"), App.Clock.GetUtcNow(), parent: (Origin, NewId("nobody")));

        var problem = await ProblemAsync(await AppendAsync(child.Stream, Story.Body(0, child.Intent())), HttpStatusCode.UnprocessableEntity, "lifecycle-violation");

        problem.GetProperty("reason").GetString().ShouldBe("lineage-broken");
        (await DecisionAsync(child.Id)).GetProperty("status").GetString().ShouldBe("denied");
    }

    [Fact]
    public async Task Refusals_of_two_executions_for_submissions_with_the_same_event_id_both_fail_closed()
    {
        var first = NewStory("same-id-a");
        var second = NewStory("same-id-b");
        await RunAsync(first, 0, first.Intent());
        await RunAsync(second, 0, second.Intent());
        var eventId = NewId("early-start");

        foreach (var story in new[] { first, second })
        {
            var start = story.Start();
            start["eventId"] = eventId;
            var problem = await ProblemAsync(await AppendAsync(story.Stream, Story.Body(1, start)), HttpStatusCode.UnprocessableEntity, "lifecycle-violation");
            problem.GetProperty("reason").GetString().ShouldBe("phase-order-violated");
            (await DecisionAsync(story.Id)).GetProperty("status").GetString().ShouldBe("denied");
        }
    }

    [Fact]
    public async Task Events_after_a_terminal_state_are_conflicts_and_append_nothing()
    {
        var completed = NewStory("terminal-completed");
        await RunAsync(completed, 0, completed.Complete());
        var denied = NewStory("terminal-denied");
        await ProblemAsync(await AppendAsync(denied.Stream, Story.Body(0, denied.Intent(), denied.Start())), HttpStatusCode.UnprocessableEntity, "lifecycle-violation");

        var problem = await RefusedWithoutAppendAsync(
            () => AppendAsync(completed.Stream, Story.Body(-1, completed.Verified(2))), HttpStatusCode.Conflict, "execution-terminal");
        problem.GetProperty("executionStatus").GetString().ShouldBe("completed");
        problem.GetProperty("executionId").GetString().ShouldBe(completed.Id);
        var again = await RefusedWithoutAppendAsync(() => AppendAsync(denied.Stream, Story.Body(-1, denied.Governance())), HttpStatusCode.Conflict, "execution-terminal");
        again.GetProperty("executionStatus").GetString().ShouldBe("denied");
        await RefusedWithoutAppendAsync(() => AppendAsync(denied.Stream, Story.Body(-1, denied.Halted())), HttpStatusCode.Conflict, "execution-terminal");
    }

    [Fact]
    public async Task A_second_intent_for_a_declared_execution_is_a_conflict_and_appends_nothing()
    {
        var story = NewStory("twice");
        await RunAsync(story, 0, story.Intent());
        var again = story.Intent();
        again["eventId"] = story.Id + "-intent-again";

        var problem = await RefusedWithoutAppendAsync(() => AppendAsync(story.Stream, Story.Body(-1, again)), HttpStatusCode.Conflict, "execution-exists");

        problem.GetProperty("detail").GetString()!.ShouldContain(story.Id);
        (await DecisionAsync(story.Id)).GetProperty("status").GetString().ShouldBe("declared");
    }

    private async Task ShouldHaveEndedByCascadeAsync(Story story, string status, string type)
    {
        // Fail closed before the cascade lands: an execution below a denied or halted ancestor is never allowed.
        var before = await DecisionAsync(story.Id);
        before.GetProperty("allowed").GetBoolean().ShouldBeFalse();
        before.GetProperty("reason").GetString().ShouldBe("parent-halted");

        await CascadesFinishedAsync();
        var decision = await DecisionAsync(story.Id);
        decision.GetProperty("status").GetString().ShouldBe(status);
        decision.GetProperty("reason").GetString().ShouldBe("parent-halted");
        var last = await JsonAsync(await GetAsync($"/v1/streams/{story.Stream}/events?direction=backward&limit=1"));
        var entry = last.GetProperty("entries")[0];
        entry.GetProperty("type").GetString().ShouldBe(type);
        entry.GetProperty("emitter").GetString().ShouldBe("$ledger");
        entry.GetProperty("data").GetProperty("reason").GetString().ShouldBe("parent-halted");
    }

    /// <summary>Runs the cascade job until no cascade is pending (the coordinator also runs it in the background).</summary>
    protected async Task CascadesFinishedAsync()
    {
        var node = App.Services.GetRequiredService<LedgerNode>();
        var cascade = App.Services.GetRequiredService<CascadeJob>();
        for (var i = 0; i < 50 && (await node.Store.ListCascadesAsync(1)).Count > 0; i++)
        {
            await cascade.RunOnceAsync(CancellationToken.None);
        }

        (await node.Store.ListCascadesAsync(1)).ShouldBeEmpty("every cascade finishes");
    }

    /// <summary>What the emitter asserts for a submitted event on <paramref name="stream"/> (docs/FORMAT.md §2.2).</summary>
    protected static EmitterStatement StatementOf(string stream, JsonObject submitted, string emitter)
    {
        using var data = JsonDocument.Parse(submitted["data"]!.ToJsonString());
        using var metadata = submitted["metadata"] is { } m ? JsonDocument.Parse(m.ToJsonString()) : null;
        return new EmitterStatement(
            stream, (string)submitted["eventId"]!, (string)submitted["type"]!, (string)submitted["domain"]!, emitter,
            (string?)submitted["occurredAt"], data.RootElement.Clone(), metadata?.RootElement.Clone());
    }
}
