using Ledger.Domain.Log;
using Ledger.Domain.Merkle;

namespace Ledger.Store.Tests.Contract;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task First_append_to_a_new_stream_gets_positions_from_zero_and_versions_from_one()
    {
        var store = await NewStoreAsync();

        var entries = await AppendedAsync(store, Events("execution-a", AppendRequest.NoStream, "a", 3));

        entries.Select(e => e.Position).ShouldBe([0L, 1L, 2L]);
        entries.Select(e => e.StreamVersion).ShouldBe([1L, 2L, 3L]);
        entries[0].Prev.ShouldBeNull();
        entries[1].Prev.ShouldBe(MerkleHash.HashLeaf(entries[0].ToCanonicalBytes()));
        entries[2].Prev.ShouldBe(MerkleHash.HashLeaf(entries[1].ToCanonicalBytes()));
        entries.ShouldAllBe(e => e.Origin == TestOrigin && e.RecordedAt == Now);
        (await store.GetTreeSizeAsync()).ShouldBe(3);
        (await store.GetStreamVersionAsync("execution-a")).ShouldBe(3);
    }

    [Fact]
    public async Task Append_with_the_exact_expected_version_continues_the_stream_chain()
    {
        var store = await NewStoreAsync();
        var first = await AppendedAsync(store, Events("execution-a", AppendRequest.NoStream, "a", 2));
        await AppendedAsync(store, Events("execution-b", AppendRequest.NoStream, "b", 1));

        var next = await AppendedAsync(store, Events("execution-a", 2, "a2", 1));

        next[0].Position.ShouldBe(3);
        next[0].StreamVersion.ShouldBe(3);
        next[0].Prev.ShouldBe(MerkleHash.HashLeaf(first[1].ToCanonicalBytes()));
        await AssertLogIsConsistentAsync(store);
    }

    [Fact]
    public async Task Any_version_appends_whatever_the_stream_version()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", AppendRequest.AnyVersion, "x", 2));

        var entries = await AppendedAsync(store, Events("s", AppendRequest.AnyVersion, "y", 1));

        entries[0].StreamVersion.ShouldBe(3);
    }

    [Fact]
    public async Task No_stream_expected_on_an_existing_stream_is_a_version_conflict_and_appends_nothing()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", AppendRequest.NoStream, "x", 2));

        var result = await store.AppendAsync(Events("s", AppendRequest.NoStream, "y", 1));

        result.ShouldBe(new AppendResult.VersionConflict(0, 2));
        result.Code.ShouldBe("version-conflict");
        (await store.GetTreeSizeAsync()).ShouldBe(2);
        (await store.FindByEventIdAsync("y-0")).ShouldBeNull();
    }

    [Fact]
    public async Task Wrong_exact_version_is_a_version_conflict_naming_the_actual_version()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", AppendRequest.NoStream, "x", 2));

        (await store.AppendAsync(Events("s", 1, "y", 1))).ShouldBe(new AppendResult.VersionConflict(1, 2));
        (await store.AppendAsync(Events("s", 5, "z", 1))).ShouldBe(new AppendResult.VersionConflict(5, 2));
        (await store.AppendAsync(Events("new-stream", 1, "w", 1))).ShouldBe(new AppendResult.VersionConflict(1, 0));
        (await store.GetTreeSizeAsync()).ShouldBe(2);
    }

    [Fact]
    public async Task Retrying_the_same_append_returns_the_original_entries_and_appends_nothing()
    {
        var store = await NewStoreAsync();
        var original = await AppendedAsync(store, Events("s", AppendRequest.NoStream, "x", 3));
        await AppendedAsync(store, Events("other", AppendRequest.NoStream, "o", 1));

        // The retry repeats the original expected version, which no longer matches: idempotency wins.
        var retry = await store.AppendAsync(Events("s", AppendRequest.NoStream, "x", 3));

        var duplicate = retry.ShouldBeOfType<AppendResult.Duplicate>();
        duplicate.Code.ShouldBe("duplicate");
        duplicate.Original.ShouldBe(original);
        (await store.GetTreeSizeAsync()).ShouldBe(4);
    }

    [Fact]
    public async Task Retry_with_a_different_signature_but_the_same_statement_is_a_duplicate()
    {
        var store = await NewStoreAsync();
        var statement = Statement("s", "e1");
        await AppendedAsync(store, new AppendRequest("s", 0, Now, [new ProposedEvent(statement, null)]));

        var retry = await store.AppendAsync(new AppendRequest(
            "s", 0, Now.AddMinutes(1), [new ProposedEvent(statement, new EmitterSignature(EmitterSignature.AlgorithmEd25519, "sha256:" + new string('a', 64), Convert.ToBase64String(new byte[64])))]));

        retry.ShouldBeOfType<AppendResult.Duplicate>().Original.Single().Position.ShouldBe(0);
    }

    [Fact]
    public async Task Reusing_an_event_id_with_other_content_is_an_event_id_conflict()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Request("s", 0, Statement("s", "e1", new { n = 1 })));

        var result = await store.AppendAsync(Request("s", AppendRequest.AnyVersion, Statement("s", "e1", new { n = 2 })));

        result.ShouldBe(new AppendResult.EventIdConflict("e1"));
        result.Code.ShouldBe("event-id-conflict");
        (await store.GetTreeSizeAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Reusing_an_event_id_in_another_stream_is_an_event_id_conflict()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Request("s", 0, Statement("s", "e1")));

        var result = await store.AppendAsync(Request("t", 0, Statement("t", "e1")));

        result.ShouldBe(new AppendResult.EventIdConflict("e1"));
    }

    [Fact]
    public async Task An_append_mixing_known_and_new_event_ids_is_an_event_id_conflict()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Request("s", 0, Statement("s", "e1")));

        var result = await store.AppendAsync(Request("s", AppendRequest.AnyVersion, Statement("s", "e1"), Statement("s", "e2")));

        result.ShouldBe(new AppendResult.EventIdConflict("e1"));
        (await store.FindByEventIdAsync("e2")).ShouldBeNull();
    }

    [Fact]
    public async Task An_empty_append_is_rejected()
    {
        var store = await NewStoreAsync();

        var ex = await Should.ThrowAsync<ArgumentException>(() => store.AppendAsync(new AppendRequest("s", 0, Now, [])));

        ex.Message.ShouldContain("at least one event");
    }

    [Fact]
    public async Task Duplicate_event_ids_within_one_append_are_rejected()
    {
        var store = await NewStoreAsync();

        var ex = await Should.ThrowAsync<ArgumentException>(() => store.AppendAsync(Request("s", 0, Statement("s", "e1"), Statement("s", "e1", new { n = 2 }))));

        ex.Message.ShouldContain("'e1' occurs more than once");
        (await store.GetTreeSizeAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/stream")]
    [InlineData("ünïcode")]
    public async Task Invalid_stream_names_are_rejected(string stream)
    {
        var store = await NewStoreAsync();

        await Should.ThrowAsync<ArgumentException>(() => store.AppendAsync(new AppendRequest(stream, 0, Now, [new ProposedEvent(Statement("ok", "e1"), null)])));
        await Should.ThrowAsync<ArgumentException>(() => store.ReadStreamAsync(stream, 0, ReadDirection.Forward, 10));
        await Should.ThrowAsync<ArgumentException>(() => store.GetStreamVersionAsync(stream));
    }

    [Fact]
    public async Task A_stream_name_longer_than_the_limit_is_rejected()
    {
        var store = await NewStoreAsync();
        var stream = new string('s', StreamName.MaxLength + 1);

        var ex = await Should.ThrowAsync<ArgumentException>(() => store.AppendAsync(Events(stream, 0, "e", 1)));

        ex.Message.ShouldContain("at most 200");
    }

    [Fact]
    public async Task An_event_stating_another_stream_is_rejected()
    {
        var store = await NewStoreAsync();

        var ex = await Should.ThrowAsync<ArgumentException>(() => store.AppendAsync(Request("s", 0, Statement("t", "e1"))));

        ex.Message.ShouldContain("states stream 't'");
    }

    [Fact]
    public async Task An_event_whose_data_cannot_be_canonicalized_is_rejected()
    {
        var store = await NewStoreAsync();
        using var data = System.Text.Json.JsonDocument.Parse("{\"n\": 1e400}");
        var statement = new EmitterStatement("s", "e1", "test.happened.v1", "domain-a", "emitter-a", null, data.RootElement, null);

        var ex = await Should.ThrowAsync<ArgumentException>(() => store.AppendAsync(new AppendRequest("s", 0, Now, [new ProposedEvent(statement, null)])));

        ex.Message.ShouldContain("cannot be canonicalized");
        (await store.GetTreeSizeAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Expected_version_below_minus_one_is_rejected()
    {
        var store = await NewStoreAsync();

        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.AppendAsync(Events("s", -2, "e", 1)));
    }

    [Fact]
    public async Task An_append_larger_than_one_transaction_allows_is_rejected()
    {
        var store = await NewStoreAsync();

        var ex = await Should.ThrowAsync<ArgumentException>(() => store.AppendAsync(Events("s", 0, "e", 4097)));

        ex.Message.ShouldContain("at most 4096");
    }

    [Fact]
    public async Task A_null_request_or_event_is_rejected()
    {
        var store = await NewStoreAsync();

        await Should.ThrowAsync<ArgumentNullException>(() => store.AppendAsync(null!));
        await Should.ThrowAsync<ArgumentException>(() => store.AppendAsync(new AppendRequest("s", 0, Now, [null!])));
    }

    [Fact]
    public async Task An_append_cancelled_before_it_is_queued_appends_nothing()
    {
        var store = await NewStoreAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => store.AppendAsync(Events("s", 0, "e", 1), cancelled.Token));

        (await store.GetTreeSizeAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task An_append_with_a_live_cancellation_token_completes_normally()
    {
        var store = await NewStoreAsync();
        using var live = new CancellationTokenSource();

        var result = await store.AppendAsync(Events("s", 0, "e", 1), live.Token);

        result.ShouldBeOfType<AppendResult.Appended>();
    }

    [Fact]
    public async Task Appending_after_dispose_throws_object_disposed()
    {
        var store = await EventStoreFactory.OpenAsync(Options(await NewDatabaseAsync()));
        await store.DisposeAsync();

        await Should.ThrowAsync<ObjectDisposedException>(() => store.AppendAsync(Events("s", 0, "e", 1)));
        await Should.ThrowAsync<ObjectDisposedException>(() => store.GetTreeSizeAsync());
        await store.DisposeAsync();
    }
}
