using Ledger.Domain.Log;
using Ledger.Domain.Merkle;
using Ledger.Store.Engine;
using Ledger.Store.Tiles;

namespace Ledger.Store.Appending;

/// <summary>
/// The ledger logic of one group-commit transaction, in three steps:
/// <list type="number">
/// <item><see cref="Add"/>, in queue order: decides each request (idempotency, expected version) and
/// assigns positions and stream versions. Requests see the effects of earlier requests of the batch.</item>
/// <item><see cref="Build"/>: builds the entries (canonical bytes, leaf hashes, chained by prev within
/// each stream), streams in parallel: canonicalization is the costly part of an append.</item>
/// <item>then, in position order, grows the Merkle tree and collects the tiles it completes.</item>
/// </list>
/// </summary>
internal sealed class BatchBuilder
{
    // Below this many events a batch is built on the writer's thread alone.
    private const int ParallelThreshold = 64;

    private readonly string _origin;
    private readonly LogState _start;
    private readonly AppendLookup _lookup;
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Digest, Original Original)> _batchEvents = new(StringComparer.Ordinal);
    private readonly List<object> _outcomes = [];
    private readonly List<Plan> _plans = [];
    private long _nextPosition;

    public BatchBuilder(string origin, LogState start, AppendLookup lookup)
    {
        _origin = origin;
        _start = start;
        _lookup = lookup;
        _nextPosition = start.Size;
    }

    /// <summary>True when at least one request is to be appended.</summary>
    public bool HasAppends => _plans.Count > 0;

    /// <summary>Decides one request and reserves its positions.</summary>
    public void Add(PendingAppend pending)
    {
        var request = pending.Request;
        var known = FindKnown(pending, out var conflict);
        if (conflict is not null)
        {
            _outcomes.Add(new AppendResult.EventIdConflict(conflict));
            return;
        }

        if (known is not null)
        {
            _outcomes.Add(known);
            return;
        }

        var version = CurrentVersion(request.Stream);
        if (request.ExpectedVersion != AppendRequest.AnyVersion && request.ExpectedVersion != version)
        {
            _outcomes.Add(new AppendResult.VersionConflict(request.ExpectedVersion, version));
            return;
        }

        var plan = new Plan(pending, _nextPosition, version + 1);
        _nextPosition += request.Events.Count;
        _versions[request.Stream] = version + request.Events.Count;
        for (var i = 0; i < request.Events.Count; i++)
        {
            _batchEvents[request.Events[i].Statement.EventId] = (pending.Digests[i], new Original(null, plan, i));
        }

        _plans.Add(plan);
        _outcomes.Add(plan);
    }

    /// <summary>
    /// Builds the entries and grows the tree: the rows and tiles to write, the log state once they are
    /// committed, and each request's result (in <see cref="Add"/> order).
    /// </summary>
    public (IReadOnlyList<EntryRow> Rows, IReadOnlyList<Tile> Tiles, LogState State, IReadOnlyList<AppendResult> Results) Build()
    {
        var streams = _plans.GroupBy(p => p.Pending.Request.Stream, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        if (_nextPosition - _start.Size < ParallelThreshold || streams.Count == 1)
        {
            streams.ForEach(BuildStream);
        }
        else
        {
            Parallel.ForEach(streams, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, BuildStream);
        }

        var range = CompactRange.FromHashes(_start.Size, _start.Frontier);
        var tiles = new TileAccumulator(_start);
        var rows = new List<EntryRow>((int)(_nextPosition - _start.Size));
        foreach (var plan in _plans)
        {
            for (var i = 0; i < plan.Entries.Length; i++)
            {
                var entry = plan.Entries[i];
                rows.Add(new EntryRow(entry.Position, entry.Stream, entry.StreamVersion, entry.EventId, plan.Pending.Digests[i], plan.LeafHashes[i], plan.Bytes[i]));
                range.Append(plan.LeafHashes[i], tiles.OnNode);
            }
        }

        var (written, partials) = tiles.Finish(range.Size);
        var results = _outcomes.Select(o => o switch
        {
            AppendResult result => result,
            Plan plan => new AppendResult.Appended(plan.Entries),
            List<Original> originals => new AppendResult.Duplicate(originals.Select(x => x.Entry).ToList()),
            _ => throw new InvalidOperationException("Unknown outcome " + o),
        }).ToList();
        return (rows, written, new LogState(range.Size, range.Root(), range.Hashes, partials), results);
    }

    /// <summary>Builds one stream's appends in order, each entry chained to the previous one's leaf hash.</summary>
    private void BuildStream(List<Plan> plans)
    {
        var stream = plans[0].Pending.Request.Stream;
        var prev = _lookup.Streams.TryGetValue(stream, out var head) ? head.LeafHash : null;
        foreach (var plan in plans)
        {
            var request = plan.Pending.Request;
            for (var i = 0; i < request.Events.Count; i++)
            {
                var proposed = request.Events[i];
                var entry = new LedgerEntry(_origin, plan.FirstPosition + i, request.RecordedAt, plan.FirstVersion + i, proposed.Statement, proposed.Signature, prev);
                var bytes = entry.ToCanonicalBytes();
                prev = MerkleHash.HashLeaf(bytes);
                plan.Entries[i] = entry;
                plan.Bytes[i] = bytes;
                plan.LeafHashes[i] = prev;
            }
        }
    }

    private long CurrentVersion(string stream) =>
        _versions.TryGetValue(stream, out var version) ? version
        : _lookup.Streams.TryGetValue(stream, out var head) ? head.Version
        : 0;

    /// <summary>
    /// The originals when every event id is known with the same statement digest; the conflicting
    /// event id when one is known with another digest, or when only some are known.
    /// </summary>
    private List<Original>? FindKnown(PendingAppend pending, out string? conflict)
    {
        conflict = null;
        var events = pending.Request.Events;
        var originals = new List<Original>(events.Count);
        string? firstUnknown = null;
        string? firstKnown = null;
        for (var i = 0; i < events.Count; i++)
        {
            var eventId = events[i].Statement.EventId;
            string digest;
            Original original;
            if (_batchEvents.TryGetValue(eventId, out var inBatch))
            {
                (digest, original) = inBatch;
            }
            else if (_lookup.Events.TryGetValue(eventId, out var stored))
            {
                digest = stored.StatementDigest;
                original = new Original(LedgerEntry.Parse(stored.Entry), null, 0);
            }
            else
            {
                firstUnknown ??= eventId;
                continue;
            }

            if (!string.Equals(digest, pending.Digests[i], StringComparison.Ordinal))
            {
                conflict = eventId;
                return null;
            }

            originals.Add(original);
            firstKnown ??= eventId;
        }

        if (originals.Count == 0)
        {
            return null;
        }

        if (firstUnknown is not null)
        {
            // Part of the request is already in the log: not a retry of one append.
            conflict = firstKnown;
            return null;
        }

        return originals;
    }

    /// <summary>An append that will be written: its reserved positions and versions, and its entries once built.</summary>
    private sealed class Plan(PendingAppend pending, long firstPosition, long firstVersion)
    {
        public PendingAppend Pending { get; } = pending;

        public long FirstPosition { get; } = firstPosition;

        public long FirstVersion { get; } = firstVersion;

        public LedgerEntry[] Entries { get; } = new LedgerEntry[pending.Request.Events.Count];

        public byte[][] Bytes { get; } = new byte[pending.Request.Events.Count][];

        public byte[][] LeafHashes { get; } = new byte[pending.Request.Events.Count][];
    }

    /// <summary>An original entry: stored already, or the <c>Index</c>-th of an append in this batch.</summary>
    private sealed record Original(LedgerEntry? Stored, Plan? Plan, int Index)
    {
        public LedgerEntry Entry => Stored ?? Plan!.Entries[Index];
    }
}
