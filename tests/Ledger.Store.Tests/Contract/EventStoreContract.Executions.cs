using Ledger.Domain.Executions;
using Ledger.Domain.Log;

namespace Ledger.Store.Tests.Contract;

// The execution record (DESIGN §6): kept in the append transaction, read under the write lock by deciders.
public abstract partial class EventStoreContract
{
    private const string Domain = "domain-a";
    private static readonly string Measurement = "sha256:" + new string('a', 64);

    [Fact]
    public async Task Appending_lifecycle_events_keeps_the_execution_record_with_the_entries()
    {
        var store = await NewStoreAsync();
        var entries = await AppendedAsync(store, Lifecycle("rec-1", null, Running));

        var lineage = await store.ReadExecutionAsync(ExecutionId.Parse("rec-1"));

        var record = lineage.Record.ShouldNotBeNull();
        record.State.Status.ShouldBe(ExecutionStatus.Running);
        record.StreamVersion.ShouldBe(5);
        record.LastPosition.ShouldBe(entries[^1].Position);
        record.LastLeafHash.ShouldBe(Domain_LeafHash(entries[^1]));
        record.Root.ShouldBe(ExecutionId.Parse("rec-1"));
        record.Depth.ShouldBe(0);
        lineage.Ancestors.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_child_records_its_parent_root_and_depth_and_reads_with_its_ancestors()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Lifecycle("tree-a", null, Running));
        await AppendedAsync(store, Lifecycle("tree-b", "tree-a", Running));
        await AppendedAsync(store, Lifecycle("tree-c", "tree-b", 1));

        var lineage = await store.ReadExecutionAsync(ExecutionId.Parse("tree-c"));

        lineage.Record!.Parent.ShouldBe(ExecutionId.Parse("tree-b"));
        lineage.Record.Root.ShouldBe(ExecutionId.Parse("tree-a"));
        lineage.Record.Depth.ShouldBe(2);
        lineage.Ancestors.Select(a => a.Id.Value).ShouldBe(["tree-b", "tree-a"]);
        lineage.EndedAncestor.ShouldBeNull();
        (await store.ListDescendantsAsync(ExecutionId.Parse("tree-a"))).Select(d => (d.Execution.Value, d.Depth)).ShouldBe([("tree-b", 1), ("tree-c", 2)]);
        (await store.ListTreeAsync(ExecutionId.Parse("tree-a"))).Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_halt_leaves_a_pending_cascade_in_the_same_transaction_until_it_is_completed()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Lifecycle("halt-p", null, Running));
        await AppendedAsync(store, Lifecycle("halt-c", "halt-p", Running));

        var halt = await AppendedAsync(store, Request("execution-halt-p", 5, Typed("execution-halt-p", "halt-p-end", new ExecutionHalted(Reason.EmitterReported, "stop")).Proposed.Statement));

        var pending = (await store.ListCascadesAsync(10)).ShouldHaveSingleItem();
        pending.ShouldBe(new PendingCascade(ExecutionId.Parse("halt-p"), halt[0].Position));
        (await store.ReadExecutionAsync(ExecutionId.Parse("halt-c"))).EndedAncestor.ShouldBe(ExecutionId.Parse("halt-p"));
        await store.CompleteCascadeAsync(pending);
        (await store.ListCascadesAsync(10)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_descendant_ended_below_an_ended_parent_leaves_no_cascade_of_its_own()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Lifecycle("cover-p", null, Running));
        await AppendedAsync(store, Lifecycle("cover-c", "cover-p", Running));
        await AppendedAsync(store, Lifecycle("cover-g", "cover-c", Running));
        var halt = await AppendedAsync(store, Request("execution-cover-p", 5, Typed("execution-cover-p", "cover-p-end", new ExecutionHalted(Reason.EmitterReported, "stop")).Proposed.Statement));

        await AppendedAsync(store, Request("execution-cover-c", 5, Typed("execution-cover-c", "cover-c-end", new ExecutionHalted(Reason.ParentHalted, "cover-p")).Proposed.Statement));

        // The parent's cascade covers the grandchild too: it is the only one pending.
        (await store.ListCascadesAsync(10)).ShouldHaveSingleItem().ShouldBe(new PendingCascade(ExecutionId.Parse("cover-p"), halt[0].Position));
        (await store.ListDescendantsAsync(ExecutionId.Parse("cover-p"))).Select(d => d.Execution.Value).ShouldBe(["cover-c", "cover-g"]);
    }

    [Fact]
    public async Task A_decider_sees_the_record_and_the_named_parent_under_the_write_lock_and_what_it_appends_is_folded()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Lifecycle("dec-p", null, Running));
        ExecutionView? seen = null;
        var intent = Typed("execution-dec-c", "dec-c-intent", Intent("dec-c", "dec-p"));

        var result = await store.AppendAsync(new AppendRequest("execution-dec-c", AppendRequest.NoStream, default, [intent.Proposed])
        {
            ParentHint = ExecutionId.Parse("dec-p"),
            Decide = view =>
            {
                seen = view;
                return new ExecutionVerdict.Append([intent], "tag");
            },
        });

        var appended = result.ShouldBeOfType<AppendResult.Appended>();
        appended.Tag.ShouldBe("tag");
        appended.Record!.State.Status.ShouldBe(ExecutionStatus.Declared);
        appended.Record.Parent.ShouldBe(ExecutionId.Parse("dec-p"));
        seen!.StreamVersion.ShouldBe(0);
        seen.Lineage.Record.ShouldBeNull();
        seen.Lineage.Parent!.State.Status.ShouldBe(ExecutionStatus.Running);
    }

    [Fact]
    public async Task A_declined_decision_appends_nothing_and_returns_its_reason()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Lifecycle("decl", null, 1));
        var size = await store.GetTreeSizeAsync();

        var result = await store.AppendAsync(new AppendRequest("execution-decl", AppendRequest.AnyVersion, default, [])
        {
            Decide = _ => new ExecutionVerdict.Decline("nothing to do"),
        });

        result.ShouldBeOfType<AppendResult.Declined>().Tag.ShouldBe("nothing to do");
        (await store.GetTreeSizeAsync()).ShouldBe(size);
    }

    [Fact]
    public async Task A_decided_append_whose_guard_stream_moved_appends_nothing()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("$registry", 0, "reg", 2));
        var intent = Typed("execution-guarded", "guarded-intent", Intent("guarded", null));

        var result = await store.AppendAsync(new AppendRequest("execution-guarded", AppendRequest.NoStream, default, [intent.Proposed])
        {
            Guards = new Dictionary<string, long> { ["$registry"] = 1 },
            Decide = _ => new ExecutionVerdict.Append([intent]),
        });

        result.ShouldBe(new AppendResult.GuardConflict("$registry", 1, 2));
        (await store.ReadExecutionAsync(ExecutionId.Parse("guarded"))).Record.ShouldBeNull();
    }

    [Fact]
    public async Task A_decided_append_to_a_stream_that_is_not_an_execution_is_refused()
    {
        var store = await NewStoreAsync();

        await Should.ThrowAsync<ArgumentException>(() => store.AppendAsync(new AppendRequest("plain", AppendRequest.AnyVersion, default, [])
        {
            Decide = _ => new ExecutionVerdict.Decline("x"),
        }));
    }

    [Fact]
    public async Task Recorded_at_never_decreases_in_position_order()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("times", 0, "late", 1));

        var earlier = Events("times", 1, "early", 1) with { RecordedAt = Now.AddHours(-1) };
        var entries = await AppendedAsync(store, earlier);

        entries[0].RecordedAt.ShouldBe(Now);
    }

    [Fact]
    public async Task Only_executions_past_a_deadline_are_due()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Lifecycle("due-intent", null, 1));
        await AppendedAsync(store, Lifecycle("due-running", null, Running));
        await AppendedAsync(store, Lifecycle("due-done", null, Running));
        await AppendedAsync(store, Request("execution-due-done", 5, Typed("execution-due-done", "due-done-end", new ExecutionHalted(Reason.EmitterReported, "stop")).Proposed.Statement));

        (await store.ListDueAsync(Now.AddMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), 100)).ShouldBeEmpty();
        (await store.ListDueAsync(Now.AddMinutes(6), TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), 100))
            .Select(d => d.Execution.Value).ShouldBe(["due-running"]);
        (await store.ListDueAsync(Now.AddHours(2), TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), 100))
            .Select(d => d.Execution.Value).Order().ShouldBe(["due-intent", "due-running"]);
        (await store.ListDueAsync(Now, TimeSpan.MaxValue, TimeSpan.MaxValue, 100)).ShouldBeEmpty("huge intervals never overflow");
    }

    [Fact]
    public async Task The_record_is_durable_across_a_reopen()
    {
        var database = await NewDatabaseAsync();
        var first = await EventStoreFactory.OpenAsync(Options(database));
        await AppendedAsync(first, Lifecycle("durable", null, Running));
        await first.DisposeAsync();

        var second = await OpenAsync(database);

        (await second.ReadExecutionAsync(ExecutionId.Parse("durable"))).Record!.State.Status.ShouldBe(ExecutionStatus.Running);
    }

    [Fact]
    public async Task A_log_written_before_the_execution_record_gets_its_records_and_cascades_on_open()
    {
        var database = await NewDatabaseAsync();
        var first = await EventStoreFactory.OpenAsync(Options(database));
        await AppendedAsync(first, Lifecycle("old-parent", null, Running));
        await AppendedAsync(first, Lifecycle("old-child", "old-parent", Running));
        var halt = await AppendedAsync(first, Request("execution-old-parent", 5, Typed("execution-old-parent", "old-parent-end", new ExecutionHalted(Reason.EmitterReported, "stop")).Proposed.Statement));
        await first.DisposeAsync();
        await ExecuteSqlAsync(database, "DELETE FROM executions");
        await ExecuteSqlAsync(database, "DELETE FROM cascades");
        await ExecuteSqlAsync(database, "UPDATE log_head SET last_recorded_at = 0");

        var reopened = await OpenAsync(database);

        var child = await reopened.ReadExecutionAsync(ExecutionId.Parse("old-child"));
        child.Record!.State.Status.ShouldBe(ExecutionStatus.Running);
        child.Record.Depth.ShouldBe(1);
        child.EndedAncestor.ShouldBe(ExecutionId.Parse("old-parent"));
        (await reopened.ListCascadesAsync(10)).ShouldBe([new PendingCascade(ExecutionId.Parse("old-parent"), halt[0].Position)]);
        var next = await AppendedAsync(reopened, Events("after", 0, "after", 1) with { RecordedAt = Now.AddDays(-1) });
        next[0].RecordedAt.ShouldBe(halt[0].RecordedAt, "the upgrade set the last recordedAt");
    }

    [Fact]
    public async Task One_holder_leads_a_job_at_a_time_and_leadership_passes_on_release()
    {
        var database = await NewDatabaseAsync();
        var a = await OpenAsync(database);
        var b = await OpenAsync(database);

        var held = await a.TryLeadAsync("job-x");
        held.ShouldNotBeNull();
        (await b.TryLeadAsync("job-x")).ShouldBeNull();
        (await a.TryLeadAsync("job-x")).ShouldBeNull("one holder even within a process");
        var other = await b.TryLeadAsync("job-y");
        other.ShouldNotBeNull("jobs lead independently");
        await other.DisposeAsync();

        await held.DisposeAsync();
        var next = await b.TryLeadAsync("job-x");
        next.ShouldNotBeNull();
        await next.DisposeAsync();
    }

    private const int Running = 5;

    /// <summary>The first <paramref name="count"/> phase events of an execution (5 = running), in one append.</summary>
    private static AppendRequest Lifecycle(string id, string? parent, int count)
    {
        var stream = "execution-" + id;
        IExecutionEvent[] events =
        [
            Intent(id, parent),
            new GovernanceSynchronized("p", Measurement, [new SyncedDomain(Domain, Measurement, Now.AddMinutes(-1))]),
            new AuthorizationIssued("a-" + id, Domain, ["read"], Now.AddMinutes(-1), Now.AddHours(2), Measurement),
            new RuntimeTrustEstablished("spiffe://a/" + id, "tpm", Measurement, "v", TrustVerdict.Trusted),
            new ExecutionStarted("node"),
        ];
        return Request(stream, 0, [.. events.Take(count).Select((e, i) => Typed(stream, $"{id}-{i}", e).Proposed.Statement)]);
    }

    private static IntentDeclared Intent(string id, string? parent) =>
        new(ExecutionId.Parse(id), "spiffe://a/" + id, "act", ["r"], ["read"], [Domain],
            parent is null ? null : new ParentRef(TestOrigin, ExecutionId.Parse(parent)));

    private static DecidedEvent Typed(string stream, string eventId, IExecutionEvent e) =>
        new(new ProposedEvent(new EmitterStatement(stream, eventId, ExecutionEventCodec.TypeOf(e), Domain, "emitter-a", null, ExecutionEventCodec.ToData(e), null), null), e);

    private static byte[] Domain_LeafHash(LedgerEntry entry) => Ledger.Domain.Merkle.MerkleHash.HashLeaf(entry.ToCanonicalBytes());
}
