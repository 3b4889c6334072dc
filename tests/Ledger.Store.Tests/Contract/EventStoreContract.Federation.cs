using Ledger.Domain.Executions;

namespace Ledger.Store.Tests.Contract;

// Following peers (DESIGN §8.2): the remote parent kept with the record, and what the follow job proved of it.
public abstract partial class EventStoreContract
{
    private const string PeerOrigin = "peer.test/log";

    [Fact]
    public async Task An_intent_under_a_remote_parent_records_that_parent_with_the_record_and_lists_it_while_open()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, RemoteChild("rc-1", "rp-1", 1));
        await AppendedAsync(store, RemoteChild("rc-2", "rp-1", 1));
        await AppendedAsync(store, RemoteChild("rc-3", "rp-2", 1));
        await AppendedAsync(store, Lifecycle("local-child-parent", null, 1));
        await AppendedAsync(store, Lifecycle("local-child", "local-child-parent", 1));

        var parents = await store.ListRemoteParentsAsync(null, 10);

        parents.ShouldBe([Remote("rp-1"), Remote("rp-2")]);
        (await store.ListRemoteParentsAsync(Remote("rp-1"), 10)).ShouldBe([Remote("rp-2")], "paged after the given parent");
        (await store.ListRemoteParentsAsync(null, 1)).ShouldBe([Remote("rp-1")]);
        (await store.ListRemoteChildrenAsync(Remote("rp-1"))).Select(c => c.Value).ShouldBe(["rc-1", "rc-2"]);
        (await store.ReadExecutionAsync(ExecutionId.Parse("rc-1"))).Record!.Parent.ShouldBeNull("a remote parent is not a lineage edge on this ledger");
    }

    [Fact]
    public async Task The_children_of_a_peers_executions_open_or_ended_are_listed_by_first_position_with_their_parents_and_paged()
    {
        var store = await NewStoreAsync();
        var b = (await AppendedAsync(store, RemoteChild("of-b", "of-p1", 2)))[0].Position;
        var a = (await AppendedAsync(store, RemoteChild("of-a", "of-p2", 1)))[0].Position;
        await AppendedAsync(store, Lifecycle("of-local", null, 1));
        var c = (await AppendedAsync(store, RemoteChild("of-c", "of-p1", 1)))[0].Position;
        await AppendedAsync(store, Request("execution-of-c", 1, Typed("execution-of-c", "of-c-denied", new ExecutionDenied(Reason.EmitterReported, "stop")).Proposed.Statement));
        await AppendedAsync(store, Request("execution-of-b", 2, Typed("execution-of-b", "of-b-denied", new ExecutionDenied(Reason.EmitterReported, "stop")).Proposed.Statement));
        await AppendedAsync(store, RemoteChild("of-other", "of-p1", 1, "other.test/log"));

        RemoteChild[] all = [
            new(ExecutionId.Parse("of-b"), Remote("of-p1"), b), new(ExecutionId.Parse("of-a"), Remote("of-p2"), a), new(ExecutionId.Parse("of-c"), Remote("of-p1"), c)];
        (await store.ListChildrenOfAsync(PeerOrigin, -1, 10)).ShouldBe(all, "open and ended, in the order they came to be, at their first entry");
        (await store.ListChildrenOfAsync(PeerOrigin, -1, 1)).ShouldBe(all[..1]);
        (await store.ListChildrenOfAsync(PeerOrigin, b, 10)).ShouldBe(all[1..], "paged after the cursor");
        (await store.ListChildrenOfAsync(PeerOrigin, c, 10)).ShouldBeEmpty();
        (await store.ListChildrenOfAsync("nobody.test/log", -1, 10)).ShouldBeEmpty();
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.ListChildrenOfAsync(PeerOrigin, -2, 10));

        // A child that comes to be later is listed after the cursor that had passed every earlier one.
        var d = (await AppendedAsync(store, RemoteChild("of-d", "of-p2", 1)))[0].Position;
        (await store.ListChildrenOfAsync(PeerOrigin, c, 10)).ShouldBe([new RemoteChild(ExecutionId.Parse("of-d"), Remote("of-p2"), d)]);
    }

    [Fact]
    public async Task A_log_written_before_first_positions_were_recorded_gets_them_from_each_streams_first_entry_on_open()
    {
        var database = await NewDatabaseAsync();
        var first = await EventStoreFactory.OpenAsync(Options(database));
        var one = (await AppendedAsync(first, RemoteChild("fp-1", "fp-p", 2)))[0].Position;
        await AppendedAsync(first, Lifecycle("fp-local", null, 1));
        var two = (await AppendedAsync(first, RemoteChild("fp-2", "fp-p", 1)))[0].Position;
        await first.DisposeAsync();
        await ExecuteSqlAsync(database, "DROP INDEX executions_remote_children");
        await ExecuteSqlAsync(database, "ALTER TABLE executions DROP COLUMN first_position");
        await ExecuteSqlAsync(database, "DELETE FROM schema_migrations WHERE name = 'first-position'");

        var reopened = await OpenAsync(database);

        (await reopened.ListChildrenOfAsync(PeerOrigin, -1, 10)).ShouldBe(
            [new RemoteChild(ExecutionId.Parse("fp-1"), Remote("fp-p"), one), new RemoteChild(ExecutionId.Parse("fp-2"), Remote("fp-p"), two)]);
        (await reopened.ReadExecutionAsync(ExecutionId.Parse("fp-local"))).Record!.FirstPosition.ShouldBe(one + 2);
        var three = (await AppendedAsync(reopened, RemoteChild("fp-3", "fp-p", 1)))[0].Position;
        await AppendedAsync(reopened, Request("execution-fp-1", 2, Typed("execution-fp-1", "fp-1-denied", new ExecutionDenied(Reason.EmitterReported, "stop")).Proposed.Statement));
        (await reopened.ListChildrenOfAsync(PeerOrigin, two, 10)).Select(c => (c.ExecutionId.Value, c.Position)).ShouldBe([("fp-3", three)]);
        (await reopened.ReadExecutionAsync(ExecutionId.Parse("fp-1"))).Record!.FirstPosition.ShouldBe(one, "set once, not moved by later entries");
    }

    [Fact]
    public async Task Remote_parents_are_listed_once_each_in_ordinal_order_across_origins_and_pages()
    {
        var store = await NewStoreAsync();
        const string B = "peer-b.test/log", A = "peer-a.test/log", Upper = "Peer-Z.test/log";
        foreach (var (child, origin, parent) in new[]
        {
            ("o-1", B, "p-2"), ("o-2", B, "p-2"), ("o-3", B, "p-2"), ("o-4", B, "p-10"), ("o-5", A, "p-9"),
            ("o-6", Upper, "p-1"), ("o-7", Upper, "p-1"), ("o-8", A, "p-3"),
        })
        {
            await AppendedAsync(store, RemoteChild(child, parent, 1, origin));
        }

        await AppendedAsync(store, RemoteChild("o-9", "p-0", 1, A));
        await AppendedAsync(store, Request("execution-o-9", 1, Typed("execution-o-9", "o-9-denied", new ExecutionDenied(Reason.EmitterReported, "stop")).Proposed.Statement));
        ParentRef[] all = [new(Upper, ExecutionId.Parse("p-1")), new(A, ExecutionId.Parse("p-3")), new(A, ExecutionId.Parse("p-9")), new(B, ExecutionId.Parse("p-10")), new(B, ExecutionId.Parse("p-2"))];

        (await store.ListRemoteParentsAsync(null, 100)).ShouldBe(all, "each open parent once, ordinal order, the ended child's parent left out");
        var paged = new List<ParentRef>();
        ParentRef? after = null;
        while ((await store.ListRemoteParentsAsync(after, 2)) is { Count: > 0 } page)
        {
            page.Count.ShouldBeLessThanOrEqualTo(2);
            paged.AddRange(page);
            after = page[^1];
        }

        paged.ShouldBe(all);
        (await store.ListRemoteParentsAsync(new ParentRef(A, ExecutionId.Parse("p-0")), 100)).ShouldBe(all[1..], "a cursor need not be a listed parent");
    }

    [Fact]
    public async Task An_attestation_is_kept_once_under_its_digest_and_one_under_another_digest_is_refused()
    {
        var store = await NewStoreAsync();
        const string text = "execution-attestation@v1\nstatement AAAA\n";
        var digest = Ledger.Domain.Federation.ExecutionAttestation.DigestOf(text);

        (await store.ReadAttestationAsync(digest)).ShouldBeNull();
        await store.KeepAttestationAsync(digest, text);
        await store.KeepAttestationAsync(digest, text);
        (await store.ReadAttestationAsync(digest)).ShouldBe(text);
        await Should.ThrowAsync<ArgumentException>(() => store.KeepAttestationAsync(digest, text + "x"));
        (await store.ReadAttestationAsync(digest)).ShouldBe(text);
    }

    [Fact]
    public async Task An_ended_child_is_no_longer_listed_under_its_remote_parent()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, RemoteChild("end-c", "end-p", 1));
        await AppendedAsync(store, Request("execution-end-c", 1, Typed("execution-end-c", "end-c-denied", new ExecutionDenied(Reason.EmitterReported, "stop")).Proposed.Statement));

        (await store.ListRemoteChildrenAsync(Remote("end-p"))).ShouldBeEmpty();
        (await store.ListRemoteParentsAsync(null, 10)).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_follow_row_only_moves_forward_and_is_read_with_the_record()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, RemoteChild("fr-c", "fr-p", 1));
        var first = new RemoteParentFollow(Remote("fr-p"), Now, ExecutionStatus.Running, "sha256:" + new string('1', 64), 10);
        var older = first with { VerifiedAt = Now.AddMinutes(-1), Status = ExecutionStatus.Halted, CheckpointSize = 5 };
        var newer = first with { VerifiedAt = Now.AddMinutes(1), Status = ExecutionStatus.Halted, CheckpointSize = 12 };

        (await store.ReadExecutionAsync(ExecutionId.Parse("fr-c"))).RemoteFollow.ShouldBeNull();
        await store.RecordRemoteFollowAsync(first);
        await store.RecordRemoteFollowAsync(older);
        (await store.ReadRemoteFollowAsync(Remote("fr-p"))).ShouldBe(first, "an older verification does not replace a newer one");
        await store.RecordRemoteFollowAsync(newer);

        (await store.ReadRemoteFollowAsync(Remote("fr-p"))).ShouldBe(newer);
        (await store.ReadExecutionAsync(ExecutionId.Parse("fr-c"))).RemoteFollow.ShouldBe(newer);
        (await store.ReadRemoteFollowAsync(Remote("other"))).ShouldBeNull();
    }

    [Fact]
    public async Task A_followed_peer_keeps_its_largest_checkpoint_and_its_first_split_view()
    {
        var store = await NewStoreAsync();

        (await store.ReadFollowedPeerAsync(PeerOrigin)).ShouldBeNull();
        await store.KeepFollowedPeerAsync(PeerOrigin, 7, "note-7");
        await store.KeepFollowedPeerAsync(PeerOrigin, 5, "note-5");
        (await store.ReadFollowedPeerAsync(PeerOrigin)).ShouldBe(new FollowedPeer(PeerOrigin, 7, "note-7", null));
        await store.KeepFollowedPeerAsync(PeerOrigin, 9, "note-9");
        await store.MarkFollowedPeerSplitAsync(PeerOrigin, Now);
        await store.MarkFollowedPeerSplitAsync(PeerOrigin, Now.AddHours(1));

        (await store.ReadFollowedPeerAsync(PeerOrigin)).ShouldBe(new FollowedPeer(PeerOrigin, 9, "note-9", Now));
    }

    [Fact]
    public async Task A_log_written_before_remote_parents_were_recorded_gets_them_on_open()
    {
        var database = await NewDatabaseAsync();
        var first = await EventStoreFactory.OpenAsync(Options(database));
        await AppendedAsync(first, RemoteChild("up-c", "up-p", 1));
        await AppendedAsync(first, Lifecycle("up-local", null, 1));
        await first.DisposeAsync();
        // The schema as it was at version 4.
        await ExecuteSqlAsync(database, "DROP INDEX executions_remote_open");
        await ExecuteSqlAsync(database, "DROP INDEX executions_remote_children");
        await ExecuteSqlAsync(database, "ALTER TABLE executions DROP COLUMN first_position");
        await ExecuteSqlAsync(database, "DELETE FROM schema_migrations WHERE name = 'first-position'");
        await ExecuteSqlAsync(database, "DROP TABLE remote_parents");
        await ExecuteSqlAsync(database, "DROP TABLE followed_peers");
        await ExecuteSqlAsync(database, "ALTER TABLE executions DROP COLUMN remote_origin");
        await ExecuteSqlAsync(database, "ALTER TABLE executions DROP COLUMN remote_parent_id");
        await ExecuteSqlAsync(database, "DELETE FROM schema_migrations WHERE version = 5");

        var reopened = await OpenAsync(database);

        (await reopened.ListRemoteParentsAsync(null, 10)).ShouldBe([Remote("up-p")]);
        (await reopened.ListRemoteChildrenAsync(Remote("up-p"))).Select(c => c.Value).ShouldBe(["up-c"]);
        (await reopened.ReadExecutionAsync(ExecutionId.Parse("up-local"))).Record!.State.Status.ShouldBe(ExecutionStatus.Declared);
        (await reopened.ListCascadesAsync(10)).ShouldBeEmpty("no denial or halt: nothing to cascade");
        await AppendedAsync(reopened, RemoteChild("up-after", "up-p", 1));
        (await reopened.ListRemoteChildrenAsync(Remote("up-p"))).Select(c => c.Value).ShouldBe(["up-after", "up-c"]);
    }

    private static ParentRef Remote(string id) => new(PeerOrigin, ExecutionId.Parse(id));

    private static AppendRequest RemoteChild(string id, string parent, int count, string origin = PeerOrigin)
    {
        var stream = "execution-" + id;
        var intent = new IntentDeclared(ExecutionId.Parse(id), "spiffe://a/" + id, "act", ["r"], ["read"], [Domain], new ParentRef(origin, ExecutionId.Parse(parent)));
        IExecutionEvent[] events = [intent, new GovernanceSynchronized("p", Measurement, [new SyncedDomain(Domain, Measurement, Now.AddMinutes(-1))])];
        return Request(stream, 0, [.. events.Take(count).Select((e, i) => Typed(stream, $"{id}-{i}", e).Proposed.Statement)]);
    }
}
