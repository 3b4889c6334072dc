using System.Globalization;
using Ledger.Store.Engine;

namespace Ledger.Store.Tests.Contract;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task Many_concurrent_appenders_leave_a_gap_free_log_whose_root_matches_the_entries()
    {
        var store = await NewStoreAsync();
        const int writers = 16;
        const int appendsEach = 25;

        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < appendsEach; i++)
            {
                var stream = "stream-" + ((w + i) % 5).ToString(CultureInfo.InvariantCulture);
                await AppendedAsync(store, Events(stream, AppendRequest.AnyVersion, string.Create(CultureInfo.InvariantCulture, $"w{w}-{i}"), 1 + (i % 3)));
            }
        }));
        await Task.WhenAll(tasks);

        var entries = await AssertLogIsConsistentAsync(store);
        entries.Count.ShouldBe(writers * Enumerable.Range(0, appendsEach).Sum(i => 1 + (i % 3)));
        entries.Select(e => e.EventId).Distinct().Count().ShouldBe(entries.Count);
    }

    [Fact]
    public async Task Concurrent_appends_are_committed_in_fewer_transactions_than_appends()
    {
        var store = await NewStoreAsync();
        var internals = (EventStore)store;

        await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            store.AppendAsync(Events("s" + i.ToString(CultureInfo.InvariantCulture), 0, "e" + i.ToString(CultureInfo.InvariantCulture), 1))));

        internals.AppendedRequests.ShouldBe(64);
        internals.Transactions.ShouldBeLessThan(64);
    }

    [Fact]
    public async Task Exactly_one_writer_wins_each_stream_version()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("contested", 0, "seed", 1));

        var version = 1L;
        for (var round = 0; round < 5; round++)
        {
            var expected = version;
            var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(w =>
                store.AppendAsync(Events("contested", expected, string.Create(CultureInfo.InvariantCulture, $"r{round}-w{w}"), 2))));

            results.OfType<AppendResult.Appended>().Count().ShouldBe(1);
            results.OfType<AppendResult.VersionConflict>().Count().ShouldBe(11);
            results.OfType<AppendResult.VersionConflict>().ShouldAllBe(c => c.Expected == expected && c.Actual == expected + 2);
            version += 2;
            (await store.GetStreamVersionAsync("contested")).ShouldBe(version);
        }

        await AssertLogIsConsistentAsync(store);
    }

    [Fact]
    public async Task Concurrent_identical_retries_append_once_and_all_see_the_same_positions()
    {
        var store = await NewStoreAsync();
        var request = Events("s", 0, "same", 3);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => store.AppendAsync(request)));

        results.OfType<AppendResult.Appended>().Count().ShouldBe(1);
        results.OfType<AppendResult.Duplicate>().Count().ShouldBe(19);
        var positions = results.OfType<AppendResult.Appended>().Single().Entries.Select(e => e.Position).ToList();
        results.OfType<AppendResult.Duplicate>().ShouldAllBe(d => d.Original.Select(e => e.Position).SequenceEqual(positions));
        (await store.GetTreeSizeAsync()).ShouldBe(3);
    }

    [Fact]
    public async Task A_conflicting_request_in_a_group_commit_does_not_fail_the_others()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("taken", 0, "seed", 1));

        var tasks = new List<Task<AppendResult>>();
        for (var i = 0; i < 40; i++)
        {
            tasks.Add(i % 4 == 0
                ? store.AppendAsync(Events("taken", 0, "bad" + i.ToString(CultureInfo.InvariantCulture), 1))
                : store.AppendAsync(Events("fresh" + i.ToString(CultureInfo.InvariantCulture), 0, "good" + i.ToString(CultureInfo.InvariantCulture), 2)));
        }

        var results = await Task.WhenAll(tasks);

        results.Where((_, i) => i % 4 == 0).ShouldAllBe(r => r is AppendResult.VersionConflict);
        results.Where((_, i) => i % 4 != 0).ShouldAllBe(r => r is AppendResult.Appended);
        (await AssertLogIsConsistentAsync(store)).Count.ShouldBe(1 + (30 * 2));
    }

    [Fact]
    public async Task Two_stores_on_one_database_append_concurrently_into_one_gap_free_log()
    {
        var database = await NewDatabaseAsync();
        var first = await OpenAsync(database);
        var second = await OpenAsync(database);

        var tasks = new[] { first, second }.SelectMany((store, s) => Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
            {
                await AppendedAsync(store, Events(
                    string.Create(CultureInfo.InvariantCulture, $"shared-{i % 3}"),
                    AppendRequest.AnyVersion,
                    string.Create(CultureInfo.InvariantCulture, $"s{s}-w{w}-{i}"),
                    2));
            }
        })));
        await Task.WhenAll(tasks);

        (await AssertLogIsConsistentAsync(first)).Count.ShouldBe(2 * 4 * 15 * 2);
        (await second.GetRootAsync(240)).ShouldBe(await first.GetRootAsync(240));
    }

    [Fact]
    public async Task A_request_that_makes_the_batch_transaction_fail_fails_alone()
    {
        var options = Options(await NewDatabaseAsync());
        var signal = new SizeSignal();
        await using var store = await EventStore.OpenAsync(new FaultyEngine(EventStoreFactory.CreateEngine(options, signal)), options, signal, CancellationToken.None);

        var tasks = Enumerable.Range(0, 30).Select(i => i == 7
            ? store.AppendAsync(Events("bad", 0, FaultyEngine.Poison, 2))
            : store.AppendAsync(Events("good" + i.ToString(CultureInfo.InvariantCulture), 0, "e" + i.ToString(CultureInfo.InvariantCulture), 2))).ToList();

        var refused = await Should.ThrowAsync<InvalidOperationException>(() => tasks[7]);
        refused.Message.ShouldContain("refused the batch");
        for (var i = 0; i < tasks.Count; i++)
        {
            if (i != 7)
            {
                (await tasks[i]).ShouldBeOfType<AppendResult.Appended>();
            }
        }

        (await AssertLogIsConsistentAsync(store)).Count.ShouldBe(29 * 2);
        (await store.FindByEventIdAsync(FaultyEngine.Poison + "-0")).ShouldBeNull();
        (await AppendedAsync(store, Events("after", 0, "after", 1)))[0].Position.ShouldBe(58);
    }

    [Fact]
    public async Task Disposing_the_store_ends_waits_for_positions()
    {
        var store = await EventStoreFactory.OpenAsync(Options(await NewDatabaseAsync()));
        var waiting = store.WaitForPositionAsync(10);

        await store.DisposeAsync();

        await Should.ThrowAsync<ObjectDisposedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
