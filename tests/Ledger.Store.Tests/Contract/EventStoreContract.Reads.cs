using Ledger.Domain.Merkle;

namespace Ledger.Store.Tests.Contract;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task A_stream_reads_forward_from_a_version()
    {
        var store = await NewStoreAsync();
        var written = await AppendedAsync(store, Events("s", 0, "e", 5));
        await AppendedAsync(store, Events("other", 0, "o", 2));

        var all = await store.ReadStreamAsync("s", 0, ReadDirection.Forward, 100);
        var fromThree = await store.ReadStreamAsync("s", 3, ReadDirection.Forward, 2);

        all.ShouldBe(written);
        fromThree.Select(e => e.StreamVersion).ShouldBe([3L, 4L]);
    }

    [Fact]
    public async Task A_stream_reads_backward_from_the_end_or_from_a_version()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", 0, "e", 5));

        var fromEnd = await store.ReadStreamAsync("s", -1, ReadDirection.Backward, 2);
        var fromThree = await store.ReadStreamAsync("s", 3, ReadDirection.Backward, 10);
        var fromZero = await store.ReadStreamAsync("s", 0, ReadDirection.Backward, 10);

        fromEnd.Select(e => e.StreamVersion).ShouldBe([5L, 4L]);
        fromThree.Select(e => e.StreamVersion).ShouldBe([3L, 2L, 1L]);
        fromZero.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unknown_stream_reads_empty_at_version_zero()
    {
        var store = await NewStoreAsync();

        (await store.ReadStreamAsync("nobody", 0, ReadDirection.Forward, 10)).ShouldBeEmpty();
        (await store.ReadStreamAsync("nobody", -1, ReadDirection.Backward, 10)).ShouldBeEmpty();
        (await store.GetStreamVersionAsync("nobody")).ShouldBe(0);
    }

    [Fact]
    public async Task Stream_reads_with_bad_arguments_are_rejected()
    {
        var store = await NewStoreAsync();

        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.ReadStreamAsync("s", -1, ReadDirection.Forward, 10));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.ReadStreamAsync("s", -2, ReadDirection.Backward, 10));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.ReadStreamAsync("s", 0, ReadDirection.Forward, 0));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.ReadStreamAsync("s", 0, ReadDirection.Forward, 10_001));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.ReadStreamAsync("s", 0, (ReadDirection)7, 10));
    }

    [Fact]
    public async Task The_log_reads_exact_canonical_bytes_and_leaf_hashes_from_a_position()
    {
        var store = await NewStoreAsync();
        var written = await AppendedAsync(store, Events("s", 0, "e", 6));

        var read = new List<StoredEntry>();
        await foreach (var entry in store.ReadLogAsync(2, 3))
        {
            read.Add(entry);
        }

        read.Select(e => e.Position).ShouldBe([2L, 3L, 4L]);
        for (var i = 0; i < read.Count; i++)
        {
            read[i].Entry.ShouldBe(written[i + 2].ToCanonicalBytes());
            read[i].LeafHash.ShouldBe(MerkleHash.HashLeaf(read[i].Entry));
        }
    }

    [Fact]
    public async Task Reading_the_log_beyond_its_end_yields_nothing()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", 0, "e", 2));

        var count = 0;
        await foreach (var _ in store.ReadLogAsync(2, 10))
        {
            count++;
        }

        count.ShouldBe(0);
        (await store.GetEntryAsync(2)).ShouldBeNull();
    }

    [Fact]
    public async Task Log_reads_with_bad_arguments_are_rejected()
    {
        var store = await NewStoreAsync();

        await Should.ThrowAsync<ArgumentOutOfRangeException>(async () => await store.ReadLogAsync(-1, 10).ToListAsync());
        await Should.ThrowAsync<ArgumentOutOfRangeException>(async () => await store.ReadLogAsync(0, 0).ToListAsync());
        await Should.ThrowAsync<ArgumentOutOfRangeException>(async () => await store.ReadLogAsync(0, 10_001).ToListAsync());
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.GetEntryAsync(-1));
    }

    [Fact]
    public async Task An_entry_is_found_by_position_and_by_event_id()
    {
        var store = await NewStoreAsync();
        var written = await AppendedAsync(store, Events("s", 0, "e", 3));

        var byPosition = await store.GetEntryAsync(1);
        var byEventId = await store.FindByEventIdAsync("e-2");

        byPosition.ShouldNotBeNull().Entry.ShouldBe(written[1].ToCanonicalBytes());
        byEventId.ShouldBe(written[2]);
        (await store.FindByEventIdAsync("missing")).ShouldBeNull();
        await Should.ThrowAsync<ArgumentException>(() => store.FindByEventIdAsync(""));
    }
}
