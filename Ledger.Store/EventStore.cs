using System.Threading.Channels;
using Ledger.Domain.Merkle;
using Ledger.Store.Appending;
using Ledger.Store.Engine;
using Ledger.Store.Tiles;

namespace Ledger.Store;

/// <summary>
/// The engine-independent <see cref="IEventStore"/>: one writer loop takes queued appends and
/// checkpoints from a channel and commits each group of appends in one transaction; reads go
/// straight to the engine on their own connections.
/// </summary>
/// <remarks>
/// The writer is the only code that touches <see cref="_state"/> (the in-memory compact range and
/// partial tiles); it compares it with the log head read under the database lock at the start of
/// every transaction and reloads it when another process advanced the log.
/// </remarks>
internal sealed partial class EventStore : IEventStore
{
    private readonly StoreEngine _engine;
    private readonly StoreOptions _options;
    private readonly SizeSignal _signal;
    private readonly Channel<WriteOperation> _queue = Channel.CreateUnbounded<WriteOperation>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    // Complete subtrees never change: 2^16 node hashes (about 6 MiB) spare proofs their tile reads and rehashing.
    private readonly Tiles.NodeHashCache _nodeHashes = new(1 << 16);

    // Full tiles above level 0, expanded (16 KiB each, so 16 MiB at most): every upper node of a log of up to 2^26 leaves.
    private readonly Tiles.BoundedCache<Tiles.TileKey, Tiles.TileTree> _tileTrees = new(1024);

    private LogState? _state;
    private Task _writer = Task.CompletedTask;
    private long _committedSize;
    private long _transactions;
    private long _appendedRequests;
    private int _disposed;

    private EventStore(StoreEngine engine, StoreOptions options, SizeSignal signal)
    {
        _engine = engine;
        _options = options;
        _signal = signal;
        Origin = options.Origin;
    }

    public string Origin { get; }

    /// <summary>Group-commit transactions that wrote appends (for tests and benchmarks).</summary>
    internal long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Append requests written (for tests and benchmarks).</summary>
    internal long AppendedRequests => Interlocked.Read(ref _appendedRequests);

    internal static async Task<EventStore> OpenAsync(StoreEngine engine, StoreOptions options, SizeSignal signal, CancellationToken ct)
    {
        var store = new EventStore(engine, options, signal);
        try
        {
            await engine.MigrateAsync(options.Origin, MerkleHash.EmptyRoot(), options.TimeProvider.GetUtcNow(), ct).ConfigureAwait(false);
            await using (var session = await engine.BeginWriteAsync([], [], [], ct).ConfigureAwait(false))
            {
                store._state = await LoadStateAsync(session, ct).ConfigureAwait(false);
                if (session.Head.Size > 0 && session.Head.LastRecordedAt == 0)
                {
                    await store.UpgradeAsync(session, ct).ConfigureAwait(false);
                }
            }

            store._committedSize = store._state.Size;
            store._writer = Task.Run(store.RunWriterAsync, CancellationToken.None);
            return store;
        }
        catch
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _engine.DisposeAsync().ConfigureAwait(false);
        _signal.Pulse();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);

    /// <summary>Rebuilds the writer's state from the head and tiles read under the write lock.</summary>
    private static async Task<LogState> LoadStateAsync(IWriteSession session, CancellationToken ct)
    {
        var head = session.Head;
        var border = CompactRange.BorderNodes(head.Size);
        var partials = TileLayout.PartialTiles(head.Size);
        var keys = new HashSet<TileKey>(TileLayout.TilesFor(border));
        keys.UnionWith(partials.Select(p => p.Key));
        var tiles = await session.ReadTilesAsync(keys, ct).ConfigureAwait(false);

        var frontier = border.Select(node => TileLayout.NodeHash(node, tiles)).ToList();
        var partialContent = new List<byte[]>();
        foreach (var (key, width) in partials)
        {
            while (partialContent.Count < key.Level)
            {
                partialContent.Add([]);
            }

            if (!tiles.TryGetValue(key, out var hashes) || hashes.Length != width * TileLayout.HashSize)
            {
                throw new StoreCorruptedException(FormattableString.Invariant(
                    $"At tree size {head.Size} tile (level {key.Level}, index {key.Index}) must hold {width} hashes; it holds {(hashes?.Length ?? 0) / TileLayout.HashSize}."));
            }

            partialContent.Add(hashes);
        }

        var root = CompactRange.FromHashes(head.Size, frontier).Root();
        if (!root.AsSpan().SequenceEqual(head.Root))
        {
            throw new StoreCorruptedException(FormattableString.Invariant(
                $"The stored root {Convert.ToBase64String(head.Root)} at size {head.Size} differs from the root computed from the stored tiles, {Convert.ToBase64String(root)}."));
        }

        return new LogState(head.Size, root, frontier, partialContent);
    }
}
