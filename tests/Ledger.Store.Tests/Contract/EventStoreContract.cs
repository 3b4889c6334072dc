using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;

namespace Ledger.Store.Tests.Contract;

/// <summary>
/// The one contract suite every engine must pass. A derived class per engine supplies fresh
/// databases; everything else (the tests) is here, in partial files by concern.
/// </summary>
public abstract partial class EventStoreContract : IAsyncLifetime
{
    protected const string TestOrigin = "ledger.test/contract";
    protected static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly List<IEventStore> _opened = [];

    /// <summary>The engine name (<see cref="StoreOptions.Engine"/>).</summary>
    protected abstract string Engine { get; }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    protected abstract Task<string> NewDatabaseAsync();

    /// <summary>Runs raw SQL on a database (to tamper with it in corruption tests).</summary>
    protected abstract Task ExecuteSqlAsync(string connectionString, string sql);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    protected StoreOptions Options(string connectionString, string origin = TestOrigin) =>
        new() { Engine = Engine, ConnectionString = connectionString, Origin = origin };

    /// <summary>Opens a store on a fresh database (disposed at the end of the test).</summary>
    protected async Task<IEventStore> NewStoreAsync() => await OpenAsync(await NewDatabaseAsync());

    protected async Task<IEventStore> OpenAsync(string connectionString, string origin = TestOrigin)
    {
        var store = await EventStoreFactory.OpenAsync(Options(connectionString, origin));
        _opened.Add(store);
        return store;
    }

    protected static EmitterStatement Statement(string stream, string eventId, object? data = null, string type = "test.happened.v1") =>
        new(stream, eventId, type, "domain-a", "emitter-a", "2025-06-01T11:59:00Z", JsonSerializer.SerializeToElement(data ?? new { n = 1 }), null);

    protected static AppendRequest Request(string stream, long expectedVersion, params EmitterStatement[] statements) =>
        new(stream, expectedVersion, Now, statements.Select(s => new ProposedEvent(s, null)).ToList());

    /// <summary>A request of <paramref name="count"/> events with ids <c>{prefix}-0…</c>.</summary>
    protected static AppendRequest Events(string stream, long expectedVersion, string prefix, int count) =>
        Request(
            stream,
            expectedVersion,
            Enumerable.Range(0, count)
                .Select(i => Statement(stream, string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}"), new { i }))
                .ToArray());

    protected static async Task<IReadOnlyList<LedgerEntry>> AppendedAsync(IEventStore store, AppendRequest request)
    {
        var result = await store.AppendAsync(request);
        return result.ShouldBeOfType<AppendResult.Appended>().Entries;
    }

    /// <summary>Appends <paramref name="count"/> single events to a few streams, in batches.</summary>
    protected static async Task FillAsync(IEventStore store, int count, int batch = 500, string prefix = "fill")
    {
        for (var done = 0; done < count; done += batch)
        {
            var n = Math.Min(batch, count - done);
            await AppendedAsync(store, Events("fill-" + (done / batch % 3).ToString(CultureInfo.InvariantCulture), AppendRequest.AnyVersion, prefix + "-" + done.ToString(CultureInfo.InvariantCulture), n));
        }
    }

    /// <summary>Reads the whole log.</summary>
    protected static async Task<List<StoredEntry>> ReadAllAsync(IEventStore store)
    {
        var all = new List<StoredEntry>();
        while (true)
        {
            var before = all.Count;
            await foreach (var entry in store.ReadLogAsync(all.Count, 5000))
            {
                all.Add(entry);
            }

            if (all.Count == before)
            {
                return all;
            }
        }
    }

    /// <summary>
    /// Checks the whole log: positions 0…n-1 without gaps, every leaf hash and entry consistent,
    /// stream versions contiguous and chained by prev, and the store's root equal to the root
    /// recomputed from the entries.
    /// </summary>
    protected static async Task<List<LedgerEntry>> AssertLogIsConsistentAsync(IEventStore store)
    {
        var stored = await ReadAllAsync(store);
        var size = await store.GetTreeSizeAsync();
        stored.Count.ShouldBe((int)size);
        var tree = new MerkleTree();
        var entries = new List<LedgerEntry>(stored.Count);
        var streams = new Dictionary<string, (long Version, byte[] Leaf)>();
        for (var i = 0; i < stored.Count; i++)
        {
            stored[i].Position.ShouldBe(i);
            var leaf = MerkleHash.HashLeaf(stored[i].Entry);
            stored[i].LeafHash.ShouldBe(leaf);
            var entry = LedgerEntry.Parse(stored[i].Entry);
            entry.Position.ShouldBe(i);
            entry.Origin.ShouldBe(store.Origin);
            entry.ToCanonicalBytes().ShouldBe(stored[i].Entry);
            if (streams.TryGetValue(entry.Stream, out var previous))
            {
                entry.StreamVersion.ShouldBe(previous.Version + 1);
                entry.Prev.ShouldBe(previous.Leaf);
            }
            else
            {
                entry.StreamVersion.ShouldBe(1);
                entry.Prev.ShouldBeNull();
            }

            streams[entry.Stream] = (entry.StreamVersion, leaf);
            tree.Append(leaf);
            entries.Add(entry);
        }

        (await store.GetRootAsync(size)).ShouldBe(tree.Root());
        return entries;
    }
}
