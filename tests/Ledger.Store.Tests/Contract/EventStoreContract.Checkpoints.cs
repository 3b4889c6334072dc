using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;

namespace Ledger.Store.Tests.Contract;

public abstract partial class EventStoreContract
{
    /// <summary>A checkpoint note for this log, signed with a fresh ledger key.</summary>
    protected static string Note(long size, byte[] root, string origin = TestOrigin)
    {
        using var signer = NoteSigner.Create(origin, SigningKey.GenerateEcdsaP256());
        return new Checkpoint(origin, size, root).Sign(signer).Format();
    }

    [Fact]
    public async Task A_consistent_checkpoint_is_stored_and_read_back()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", 0, "e", 4));
        var root = await store.GetRootAsync(4);

        var note = Note(4, root);

        var stored = await store.StoreCheckpointAsync(4, root, note);

        stored.Size.ShouldBe(4);
        stored.Root.ShouldBe(root);
        stored.SignedNote.ShouldBe(note);
        (await store.GetLatestCheckpointAsync()).ShouldNotBeNull().SignedNote.ShouldBe(note);
        var byId = (await store.GetCheckpointAsync(4)).ShouldNotBeNull();
        byId.Root.ShouldBe(root);
        byId.StoredAt.ShouldBe(stored.StoredAt);
    }

    [Fact]
    public async Task Checkpoints_are_listed_by_size_range_and_the_latest_is_the_largest()
    {
        var store = await NewStoreAsync();
        foreach (var size in new[] { 2, 5, 9 })
        {
            await AppendedAsync(store, Events("s", AppendRequest.AnyVersion, "e" + size, size - (int)await store.GetTreeSizeAsync()));
            var root = await store.GetRootAsync(size);
            await store.StoreCheckpointAsync(size, root, Note(size, root));
        }

        (await store.ListCheckpointsAsync(0, 100)).Select(c => c.Size).ShouldBe([2L, 5L, 9L]);
        (await store.ListCheckpointsAsync(3, 9)).Select(c => c.Size).ShouldBe([5L, 9L]);
        (await store.GetLatestCheckpointAsync()).ShouldNotBeNull().Size.ShouldBe(9);
        (await store.GetCheckpointAsync(3)).ShouldBeNull();
    }

    [Fact]
    public async Task No_checkpoint_reads_as_null_and_an_empty_list()
    {
        var store = await NewStoreAsync();

        (await store.GetLatestCheckpointAsync()).ShouldBeNull();
        (await store.ListCheckpointsAsync(0, 10)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_checkpoint_with_another_root_is_refused_with_evidence()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", 0, "e", 4));
        var treeRoot = await store.GetRootAsync(3);
        var wrong = await store.GetRootAsync(4);

        var ex = await Should.ThrowAsync<InconsistentCheckpointException>(() => store.StoreCheckpointAsync(3, wrong, Note(3, wrong)));

        ex.Reason.ShouldBe(CheckpointInconsistency.RootMismatch);
        ex.Size.ShouldBe(3);
        ex.ProvidedRoot.ShouldBe(wrong);
        ex.TreeRoot.ShouldBe(treeRoot);
        ex.Message.ShouldContain(Convert.ToBase64String(treeRoot));
        (await store.GetLatestCheckpointAsync()).ShouldBeNull();
    }

    [Fact]
    public async Task A_checkpoint_older_than_the_latest_is_refused_with_evidence()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", 0, "e", 4));
        var rootAt4 = await store.GetRootAsync(4);
        await store.StoreCheckpointAsync(4, rootAt4, Note(4, rootAt4));
        var rootAt2 = await store.GetRootAsync(2);

        var ex = await Should.ThrowAsync<InconsistentCheckpointException>(() => store.StoreCheckpointAsync(2, rootAt2, Note(2, rootAt2)));

        ex.Reason.ShouldBe(CheckpointInconsistency.OlderThanLatest);
        ex.LatestStoredSize.ShouldBe(4);
        ex.Message.ShouldContain("below the latest stored checkpoint's size 4");
        (await store.ListCheckpointsAsync(0, 10)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_second_checkpoint_at_the_same_size_returns_the_first()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", 0, "e", 4));
        var root = await store.GetRootAsync(4);
        var first = Note(4, root);
        await store.StoreCheckpointAsync(4, root, first);

        var again = await store.StoreCheckpointAsync(4, root, Note(4, root));

        again.SignedNote.ShouldBe(first);
    }

    [Fact]
    public async Task Checkpoints_with_bad_arguments_are_rejected()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", 0, "e", 2));
        var root = await store.GetRootAsync(2);

        var beyond = await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.StoreCheckpointAsync(3, root, Note(3, root)));
        beyond.Message.ShouldContain("beyond the tree size 2");
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.StoreCheckpointAsync(-1, root, Note(2, root)));
        await Should.ThrowAsync<ArgumentException>(() => store.StoreCheckpointAsync(2, new byte[31], Note(2, root)));
        await Should.ThrowAsync<ArgumentNullException>(() => store.StoreCheckpointAsync(2, null!, Note(2, root)));
        await Should.ThrowAsync<ArgumentException>(() => store.StoreCheckpointAsync(2, root, " "));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.GetCheckpointAsync(-1));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.ListCheckpointsAsync(-1, 3));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.ListCheckpointsAsync(4, 3));
    }

    [Fact]
    public async Task A_checkpoint_whose_note_is_not_a_signed_checkpoint_is_rejected()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", 0, "e", 2));
        var root = await store.GetRootAsync(2);

        var notANote = await Should.ThrowAsync<ArgumentException>(() => store.StoreCheckpointAsync(2, root, "just text\n"));
        notANote.Message.ShouldContain("not a signed note");
        var notACheckpoint = Note(2, root).Replace(TestOrigin + "\n2\n", TestOrigin + "\nnot-a-size\n", StringComparison.Ordinal);
        (await Should.ThrowAsync<ArgumentException>(() => store.StoreCheckpointAsync(2, root, notACheckpoint))).Message.ShouldContain("not a checkpoint");
        (await store.GetLatestCheckpointAsync()).ShouldBeNull();
    }

    [Fact]
    public async Task A_checkpoint_whose_note_states_another_origin_size_or_root_is_rejected()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", 0, "e", 3));
        var root2 = await store.GetRootAsync(2);
        var root3 = await store.GetRootAsync(3);

        var otherOrigin = await Should.ThrowAsync<ArgumentException>(() => store.StoreCheckpointAsync(3, root3, Note(3, root3, "ledger.test/elsewhere")));
        otherOrigin.Message.ShouldContain("origin 'ledger.test/elsewhere'");
        await Should.ThrowAsync<ArgumentException>(() => store.StoreCheckpointAsync(3, root3, Note(2, root2)));
        await Should.ThrowAsync<ArgumentException>(() => store.StoreCheckpointAsync(3, root3, Note(3, root2)));
        (await store.GetLatestCheckpointAsync()).ShouldBeNull();
    }
}
