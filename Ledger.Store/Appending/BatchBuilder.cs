using Ledger.Domain.Executions;
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
    private readonly Dictionary<string, RecordDraft> _records = new(StringComparer.Ordinal);
    private readonly List<(ExecutionId Execution, Plan Plan)> _cascades = [];
    private readonly DateTimeOffset _clock;
    private long _lastRecordedAt;
    private readonly int _maxEntryBytes;
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Digest, Original Original)> _batchEvents = new(StringComparer.Ordinal);
    private readonly List<object> _outcomes = [];
    private readonly List<Plan> _plans = [];
    private long _nextPosition;

    /// <param name="origin">The log's origin.</param>
    /// <param name="start">The log as committed.</param>
    /// <param name="lookup">What was read under the write lock.</param>
    /// <param name="lastRecordedAt">The last committed entry's recordedAt (UTC ticks).</param>
    /// <param name="clock">The store's clock now, at microsecond precision: the time of decided appends.</param>
    public BatchBuilder(string origin, LogState start, AppendLookup lookup, long lastRecordedAt, DateTimeOffset clock, int maxEntryBytes = LedgerEntry.MaxCanonicalBytes)
    {
        _maxEntryBytes = maxEntryBytes;
        _origin = origin;
        _start = start;
        _lookup = lookup;
        _nextPosition = start.Size;
        _lastRecordedAt = lastRecordedAt;
        _clock = clock;
    }

    /// <summary>The recordedAt of the last entry of the batch (UTC ticks), for the log head.</summary>
    public long LastRecordedAt => _lastRecordedAt;

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

        foreach (var (stream, expected) in request.Guards ?? EmptyGuards)
        {
            var actual = CurrentVersion(stream);
            if (actual != expected)
            {
                _outcomes.Add(new AppendResult.GuardConflict(stream, expected, actual));
                return;
            }
        }

        ExecutionId.TryFromStreamName(request.Stream, out var execution);
        var recordedAt = NextRecordedAt(request.Decide is not null && request.RecordedAt == default ? _clock : request.RecordedAt);
        IReadOnlyList<ProposedEvent> events = request.Events;
        IReadOnlyList<string> digests = pending.Digests;
        IExecutionEvent[]? typed = null;
        object? tag = null;
        if (request.Decide is { } decide)
        {
            var lineage = Lineage(execution, request.ParentHint);
            switch (decide(new ExecutionView(execution, lineage, version, recordedAt)))
            {
                case ExecutionVerdict.Decline decline:
                    _outcomes.Add(new AppendResult.Declined(decline.Tag));
                    return;
                case ExecutionVerdict.Append append when append.Events.Count > 0:
                    events = [.. append.Events.Select(e => e.Proposed)];
                    typed = [.. append.Events.Select(e => e.Event)];
                    digests = Digests(request, pending.Digests, events);
                    tag = append.Tag;
                    break;
                default:
                    throw new InvalidOperationException("An execution decider must append at least one event or decline.");
            }
        }
        else if (execution != default)
        {
            typed = TryParse(events);
        }

        _lastRecordedAt = recordedAt.UtcTicks;
        var plan = new Plan(pending, events, digests, recordedAt, _nextPosition, version + 1) { Tag = tag };
        _nextPosition += events.Count;
        _versions[request.Stream] = version + events.Count;
        for (var i = 0; i < events.Count; i++)
        {
            _batchEvents[events[i].Statement.EventId] = (digests[i], new Original(null, plan, i));
        }

        if (typed is not null)
        {
            Fold(execution, plan, typed);
        }

        _plans.Add(plan);
        _outcomes.Add(plan);
    }

    /// <summary>The records written by this batch (leaf hashes known once built) and the cascades their ends leave.</summary>
    public (IReadOnlyList<ExecutionRecord> Records, IReadOnlyList<PendingCascade> Cascades) Records()
    {
        var records = _records.Values.Select(d => d.ToRecord()).ToList();
        var cascades = _cascades.Select(c => new PendingCascade(c.Execution, c.Plan.FirstPosition + c.Plan.Entries.Length - 1)).ToList();
        return (records, cascades);
    }

    private static readonly IReadOnlyDictionary<string, long> EmptyGuards = new Dictionary<string, long>();

    /// <summary>recordedAt never decreases in position order: at least the previous entry's.</summary>
    private DateTimeOffset NextRecordedAt(DateTimeOffset requested) =>
        requested.UtcTicks >= _lastRecordedAt ? requested : new DateTimeOffset(_lastRecordedAt, TimeSpan.Zero);

    /// <summary>The execution's record and its ancestors as this batch sees them (committed, then earlier appends of the batch).</summary>
    private ExecutionLineage Lineage(ExecutionId execution, ExecutionId? parentHint)
    {
        var record = FindRecord(execution.Value);
        var ancestors = new List<ExecutionRecord>();
        var next = record is not null ? record.Parent : parentHint;
        var seen = new HashSet<ExecutionId> { execution };
        while (next is { } id && seen.Add(id) && FindRecord(id.Value) is { } ancestor)
        {
            ancestors.Add(ancestor);
            next = ancestor.Parent;
        }

        return new ExecutionLineage(record, ancestors);
    }

    private ExecutionRecord? FindRecord(string execution) =>
        _records.TryGetValue(execution, out var draft) ? draft.Current
        : _lookup.Records.TryGetValue(execution, out var stored) ? stored
        : null;

    /// <summary>Folds the appended events into the execution's record; an end that must reach descendants leaves a cascade.</summary>
    private void Fold(ExecutionId execution, Plan plan, IExecutionEvent[] typed)
    {
        var before = FindRecord(execution.Value);
        var state = before?.State ?? ExecutionState.Initial(execution);
        for (var i = 0; i < typed.Length; i++)
        {
            state = Execution.Evolve(state, typed[i], plan.RecordedAt, plan.Events[i].Statement.Domain);
        }

        var draft = new RecordDraft(plan, RecordFold.Next(
            _origin, before, state, plan.FirstVersion + typed.Length - 1, plan.FirstPosition, plan.FirstPosition + typed.Length - 1, [], FindRecord));
        _records[execution.Value] = draft;
        if (RecordFold.LeavesCascade(before, draft.Current, FindRecord))
        {
            _cascades.Add((execution, plan));
        }
    }

    /// <summary>Digests of the decided events: the submitted ones were computed already, the ledger's are computed here.</summary>
    private static string[] Digests(AppendRequest request, IReadOnlyList<string> submitted, IReadOnlyList<ProposedEvent> events)
    {
        var digests = new string[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var index = IndexOf(request.Events, events[i]);
            digests[i] = index >= 0 ? submitted[index] : events[i].Digest ?? events[i].Statement.Digest();
            if (!string.Equals(events[i].Statement.Stream, request.Stream, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"A decided event states stream '{events[i].Statement.Stream}', not '{request.Stream}'.");
            }
        }

        return digests;
    }

    private static int IndexOf(IReadOnlyList<ProposedEvent> list, ProposedEvent item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (ReferenceEquals(list[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The parsed events, or null when any is not an execution event (such streams keep no record).</summary>
    private static IExecutionEvent[]? TryParse(IReadOnlyList<ProposedEvent> events)
    {
        var typed = new IExecutionEvent[events.Count];
        for (var i = 0; i < typed.Length; i++)
        {
            var statement = events[i].Statement;
            if (!ExecutionEventCodec.TryParse(statement.Type, statement.Data, out var e, out _))
            {
                return null;
            }

            typed[i] = e;
        }

        return typed;
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

        // An entry over the limit fails the whole batch here, before anything is written; the writer then retries each
        // request alone, so that only the request holding it fails.
        if (_plans.FirstOrDefault(p => p.TooLarge is not null) is { TooLarge: var (eventId, size) } tooLarge)
        {
            throw new EntryTooLargeException(tooLarge.Pending.Request.Stream, eventId, size);
        }

        var range = CompactRange.FromHashes(_start.Size, _start.Frontier);
        var tiles = new TileAccumulator(_start);
        var rows = new List<EntryRow>((int)(_nextPosition - _start.Size));
        foreach (var plan in _plans)
        {
            for (var i = 0; i < plan.Entries.Length; i++)
            {
                var entry = plan.Entries[i];
                rows.Add(new EntryRow(entry.Position, entry.Stream, entry.StreamVersion, entry.EventId, plan.Digests[i], plan.LeafHashes[i], plan.Bytes[i]));
                range.Append(plan.LeafHashes[i], tiles.OnNode);
            }
        }

        var (written, partials) = tiles.Finish(range.Size);
        var results = _outcomes.Select(o => o switch
        {
            AppendResult result => result,
            Plan plan => new AppendResult.Appended(plan.Entries)
            {
                Tag = plan.Tag,
                Record = ExecutionId.TryFromStreamName(plan.Pending.Request.Stream, out var id) && _records.TryGetValue(id.Value, out var draft) && draft.Plan == plan
                    ? draft.ToRecord()
                    : null,
            },
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
            for (var i = 0; i < plan.Events.Count; i++)
            {
                var proposed = plan.Events[i];
                var entry = new LedgerEntry(_origin, plan.FirstPosition + i, plan.RecordedAt, plan.FirstVersion + i, proposed.Statement, proposed.Signature, prev);
                var bytes = entry.ToCanonicalBytes();
                if (bytes.Length > _maxEntryBytes && plan.TooLarge is null)
                {
                    plan.TooLarge = (entry.EventId, bytes.Length);
                }

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
                original = new Original(LedgerEntry.ParseTrusted(stored.Entry), null, 0);
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
    private sealed class Plan(
        PendingAppend pending, IReadOnlyList<ProposedEvent> events, IReadOnlyList<string> digests, DateTimeOffset recordedAt, long firstPosition, long firstVersion)
    {
        public PendingAppend Pending { get; } = pending;

        /// <summary>What is appended: the request's events, or what its decider chose.</summary>
        public IReadOnlyList<ProposedEvent> Events { get; } = events;

        public IReadOnlyList<string> Digests { get; } = digests;

        public DateTimeOffset RecordedAt { get; } = recordedAt;

        public long FirstPosition { get; } = firstPosition;

        public long FirstVersion { get; } = firstVersion;

        public object? Tag { get; init; }

        /// <summary>The first entry of this append over <see cref="LedgerEntry.MaxCanonicalBytes"/>, once built.</summary>
        public (string EventId, int Size)? TooLarge { get; set; }

        public LedgerEntry[] Entries { get; } = new LedgerEntry[events.Count];

        public byte[][] Bytes { get; } = new byte[events.Count][];

        public byte[][] LeafHashes { get; } = new byte[events.Count][];
    }

    /// <summary>A record changed by the batch; its last leaf hash is known once the plan that last changed it is built.</summary>
    private sealed record RecordDraft(Plan Plan, ExecutionRecord Current)
    {
        public ExecutionRecord ToRecord() => Current with { LastLeafHash = Plan.LeafHashes[^1] };
    }

    /// <summary>An original entry: stored already, or the <c>Index</c>-th of an append in this batch.</summary>
    private sealed record Original(LedgerEntry? Stored, Plan? Plan, int Index)
    {
        public LedgerEntry Entry => Stored ?? Plan!.Entries[Index];
    }
}
