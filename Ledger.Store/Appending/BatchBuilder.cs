using Ledger.Domain.Log;
using Ledger.Domain.Merkle;
using Ledger.Store.Engine;
using Ledger.Store.Tiles;

namespace Ledger.Store.Appending;

/// <summary>
/// The ledger logic of one group-commit transaction: decides each request in queue order
/// (idempotency, expected version), assigns positions, stream versions and chain hashes, builds the
/// entries and grows the Merkle tree. Requests see the effects of earlier requests of the same batch.
/// </summary>
internal sealed class BatchBuilder
{
    private readonly string _origin;
    private readonly LogState _start;
    private readonly CompactRange _range;
    private readonly TileAccumulator _tiles;
    private readonly AppendLookup _lookup;
    private readonly Dictionary<string, StreamHead> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Digest, LedgerEntry Entry)> _batchEvents = new(StringComparer.Ordinal);
    private readonly List<EntryRow> _rows = [];

    public BatchBuilder(string origin, LogState start, AppendLookup lookup)
    {
        _origin = origin;
        _start = start;
        _lookup = lookup;
        _range = CompactRange.FromHashes(start.Size, start.Frontier);
        _tiles = new TileAccumulator(start);
    }

    public IReadOnlyList<EntryRow> Rows => _rows;

    public AppendResult Decide(PendingAppend pending)
    {
        var request = pending.Request;
        var duplicate = FindDuplicate(pending, out var conflict);
        if (conflict is not null)
        {
            return new AppendResult.EventIdConflict(conflict);
        }

        if (duplicate is not null)
        {
            return new AppendResult.Duplicate(duplicate);
        }

        var head = CurrentHead(request.Stream);
        var version = head?.Version ?? 0;
        if (request.ExpectedVersion != AppendRequest.AnyVersion && request.ExpectedVersion != version)
        {
            return new AppendResult.VersionConflict(request.ExpectedVersion, version);
        }

        var prev = head?.LeafHash;
        var entries = new LedgerEntry[request.Events.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var proposed = request.Events[i];
            version++;
            var entry = new LedgerEntry(_origin, _range.Size, request.RecordedAt, version, proposed.Statement, proposed.Signature, prev);
            var bytes = entry.ToCanonicalBytes();
            var leafHash = MerkleHash.HashLeaf(bytes);
            _rows.Add(new EntryRow(entry.Position, request.Stream, version, entry.EventId, pending.Digests[i], leafHash, bytes));
            _batchEvents[entry.EventId] = (pending.Digests[i], entry);
            _range.Append(leafHash, _tiles.OnNode);
            entries[i] = entry;
            prev = leafHash;
        }

        _streams[request.Stream] = new StreamHead(version, prev!);
        return new AppendResult.Appended(entries);
    }

    /// <summary>The tiles to write and the log state once the batch is committed.</summary>
    public (IReadOnlyList<Tile> Tiles, LogState State) Finish()
    {
        var (tiles, partials) = _tiles.Finish(_range.Size);
        return (tiles, new LogState(_range.Size, _range.Root(), _range.Hashes, partials));
    }

    private StreamHead? CurrentHead(string stream) =>
        _streams.TryGetValue(stream, out var head) ? head
        : _lookup.Streams.TryGetValue(stream, out head) ? head
        : null;

    /// <summary>
    /// The original entries when every event id is known with the same statement digest; the
    /// conflicting event id when one is known with another digest, or when only some are known.
    /// </summary>
    private List<LedgerEntry>? FindDuplicate(PendingAppend pending, out string? conflict)
    {
        conflict = null;
        var events = pending.Request.Events;
        var originals = new List<LedgerEntry>(events.Count);
        string? firstUnknown = null;
        for (var i = 0; i < events.Count; i++)
        {
            var eventId = events[i].Statement.EventId;
            string digest;
            LedgerEntry original;
            if (_batchEvents.TryGetValue(eventId, out var inBatch))
            {
                (digest, original) = inBatch;
            }
            else if (_lookup.Events.TryGetValue(eventId, out var stored))
            {
                digest = stored.StatementDigest;
                original = LedgerEntry.Parse(stored.Entry);
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
        }

        if (originals.Count == 0)
        {
            return null;
        }

        if (firstUnknown is not null)
        {
            // Part of the request is already in the log: not a retry of one append.
            conflict = originals[0].EventId;
            return null;
        }

        return originals;
    }
}
