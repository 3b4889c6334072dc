using System.Security.Cryptography;

namespace Ledger.Store.Tests.Contract;

public abstract partial class EventStoreContract
{
    private const string WitnessedOrigin = "peer.example/log";

    private static byte[] RootOf(string label) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(label));

    [Fact]
    public async Task Witness_state_is_created_once_and_moves_only_from_the_expected_state()
    {
        var store = await NewStoreAsync();
        var at = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

        (await store.GetWitnessedAsync(WitnessedOrigin)).ShouldBeNull();
        (await store.TryAdvanceWitnessedAsync(WitnessedOrigin, 0, null, 5, RootOf("5"), "note-5", at)).ShouldBeTrue();
        (await store.TryAdvanceWitnessedAsync(WitnessedOrigin, 0, null, 6, RootOf("6"), "note-6", at)).ShouldBeFalse("a second creation");
        (await store.TryAdvanceWitnessedAsync(WitnessedOrigin, 5, RootOf("other"), 7, RootOf("7"), "note-7", at)).ShouldBeFalse("another root at the expected size");
        (await store.TryAdvanceWitnessedAsync(WitnessedOrigin, 4, RootOf("5"), 7, RootOf("7"), "note-7", at)).ShouldBeFalse("another size");
        (await store.TryAdvanceWitnessedAsync(WitnessedOrigin, 5, RootOf("5"), 9, RootOf("9"), "note-9", at.AddSeconds(1))).ShouldBeTrue();

        var held = (await store.GetWitnessedAsync(WitnessedOrigin)).ShouldNotBeNull();
        held.Size.ShouldBe(9);
        held.Root.ShouldBe(RootOf("9"));
        held.Note.ShouldBe("note-9");
        held.CosignedAt.ShouldBe(at.AddSeconds(1));
        held.LoggedSize.ShouldBe(-1);
        held.Untrusted.ShouldBeFalse();
    }

    [Fact]
    public async Task Witness_logged_size_only_rises_and_the_split_view_flag_keeps_its_first_time()
    {
        var store = await NewStoreAsync();
        var at = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        await store.TryAdvanceWitnessedAsync(WitnessedOrigin, 0, null, 3, RootOf("3"), "note-3", at);

        await store.MarkWitnessedLoggedAsync(WitnessedOrigin, 3);
        await store.MarkWitnessedLoggedAsync(WitnessedOrigin, 2);
        await store.MarkSplitViewAsync(WitnessedOrigin, at.AddMinutes(1));
        await store.MarkSplitViewAsync(WitnessedOrigin, at.AddMinutes(2));

        var held = (await store.GetWitnessedAsync(WitnessedOrigin)).ShouldNotBeNull();
        held.LoggedSize.ShouldBe(3);
        held.SplitViewAt.ShouldBe(at.AddMinutes(1));
        held.Untrusted.ShouldBeTrue();
        (await store.ListWitnessedAsync()).Select(l => l.Origin).ShouldBe([WitnessedOrigin]);
    }

    [Fact]
    public async Task Of_many_concurrent_swaps_from_one_state_exactly_one_wins_also_across_store_instances()
    {
        var database = await NewDatabaseAsync();
        var first = await OpenAsync(database);
        var second = await OpenAsync(database);
        var at = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        await first.TryAdvanceWitnessedAsync(WitnessedOrigin, 0, null, 10, RootOf("10"), "note-10", at);

        for (var round = 0; round < 5; round++)
        {
            var held = (await first.GetWitnessedAsync(WitnessedOrigin))!;
            var attempts = Enumerable.Range(1, 16).Select(i =>
            {
                var store = i % 2 == 0 ? first : second;
                var size = held.Size + i;
                return Task.Run(() => store.TryAdvanceWitnessedAsync(WitnessedOrigin, held.Size, held.Root, size, RootOf($"{size}"), $"note-{size}", at));
            }).ToList();
            var won = await Task.WhenAll(attempts);

            won.Count(w => w).ShouldBe(1, $"round {round}");
            var after = (await second.GetWitnessedAsync(WitnessedOrigin))!;
            after.Size.ShouldBe(held.Size + 1 + Array.IndexOf(won, true));
            after.Root.ShouldBe(RootOf($"{after.Size}"));
        }
    }
}
