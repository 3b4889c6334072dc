using System.Globalization;
using Ledger.Domain.Events;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;

// Lineage types live in Ledger.Domain.Executions: a namespace Ledger.Domain.Lineage would hide the
// Lineage rules class from every caller inside Ledger.Domain.*.
namespace Ledger.Domain.Executions;

/// <summary>
/// Groups log entries, given in position order, into the lineage trees of docs/FORMAT.md §8.1 and keeps each tree's
/// lineage digest (§8.2) up to date as its events arrive: the one definition of "the lineage tree of X" and of its
/// digest, used by the offline verifier as it streams a bundle and, through <see cref="LineageTrees.FromEntries"/>, by
/// the ledger's proof job.
/// </summary>
/// <remarks>
/// <para>The rules (§8.1): entries of streams other than <c>execution-{id}</c> are ignored. An execution's first
/// event decides its place: when it is an <c>execution.intent-declared.v1</c> whose <c>parent.ledger</c> is
/// <see cref="Origin"/> and the parent's first event, earlier in the log, was an intent too, the execution joins the
/// parent's tree under it; otherwise it is the root of a new tree (no parent, a parent on another ledger, no such
/// parent, or a stream that starts with the ledger's denial of a refused intent: a tree of one node). Every entry of
/// the stream except <c>execution.proof-persisted.v1</c> is an event of the node. A proof adds no event; it marks
/// the member proven.</para>
/// <para>A tree can only change while one of its members is open: once every member is terminal nothing but proofs
/// may follow (§6.7), and an intent naming a terminal parent is refused, so the tree at the ledger's first proof is
/// final.</para>
/// <para>Memory: per held member its id, parent and positions; per tree the right border of its leaf range. A caller
/// streaming a long log releases a tree with <see cref="Forget"/> once it needs it no more (e.g. when
/// <see cref="LineageForestTree.IsProven"/>); later entries of a forgotten tree's streams start new trees.</para>
/// <para>Pure (no I/O); not thread-safe.</para>
/// </remarks>
public sealed class LineageForest
{
    private static readonly string IntentType = WireNames.Of<IntentDeclared>();
    private static readonly string ProofType = WireNames.Of<ProofPersisted>();
    private static readonly HashSet<string> TerminalTypes = new(StringComparer.Ordinal)
    {
        WireNames.Of<ExecutionCompleted>(), WireNames.Of<ExecutionDenied>(), WireNames.Of<ExecutionHalted>(),
    };

    private readonly Dictionary<ExecutionId, LineageMember> _members = [];
    private readonly Queue<LineageForestTree> _byAge = new();
    private long _lastPosition = -1;

    /// <summary>Creates an empty forest.</summary>
    /// <param name="origin">The log's origin (§2.1): a parent reference names this ledger when its <c>ledger</c> is this.</param>
    /// <param name="historyFromStart">
    /// True when the entries will be the log from position 0 (or, for <see cref="LineageTrees.FromEntries"/>, every
    /// entry of the trees concerned), so that a parent not seen does not exist; false when earlier entries may be
    /// missing, which makes a tree whose intent names an unseen parent on this ledger incomplete.
    /// </param>
    public LineageForest(string origin, bool historyFromStart = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(origin);
        Origin = origin;
        HistoryFromStart = historyFromStart;
    }

    /// <summary>The log's origin.</summary>
    public string Origin { get; }

    /// <summary>Whether the entries start at the log's beginning (see the constructor).</summary>
    public bool HistoryFromStart { get; }

    /// <summary>The executions held (not forgotten).</summary>
    public int MemberCount => _members.Count;

    /// <summary>The trees held (not forgotten), oldest first.</summary>
    public IEnumerable<LineageForestTree> Trees => _byAge.Where(t => !t.IsForgotten);

    /// <summary>
    /// The position of the first event of the oldest tree held, or null when none is held. A proof for a held tree
    /// names a checkpoint larger than its last event, so larger than this.
    /// </summary>
    public long? OldestPosition
    {
        get
        {
            while (_byAge.TryPeek(out var oldest) && oldest.IsForgotten)
            {
                _byAge.Dequeue();
            }

            return _byAge.TryPeek(out var first) ? first.FirstPosition : null;
        }
    }

    /// <summary>The member for an execution, if held.</summary>
    public LineageMember? Find(ExecutionId execution) => _members.GetValueOrDefault(execution);

    /// <summary>Adds the next entry of the log.</summary>
    /// <param name="entry">The entry; its position must be above every position added before.</param>
    /// <param name="leafHash">Its leaf hash, SHA-256(0x00 ‖ canonical bytes) (§3.1), 32 bytes.</param>
    /// <param name="event">Its parsed data when the caller has it (saves parsing an intent again); null to parse here.</param>
    /// <param name="startsMidStream">
    /// True when earlier entries of this stream exist but are not given (a bundle that starts inside the log); only
    /// read for a stream's first entry, whose tree is then incomplete.
    /// </param>
    /// <returns>
    /// The execution's member after this entry; null for a non-execution stream, and for a proof of an execution with
    /// no event held.
    /// </returns>
    /// <exception cref="ArgumentException">Positions do not ascend, or the leaf hash is not 32 bytes.</exception>
    public LineageMember? Add(LedgerEntry entry, ReadOnlySpan<byte> leafHash, IExecutionEvent? @event = null, bool startsMidStream = false)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"A leaf hash is {MerkleHash.Size} bytes, not {leafHash.Length}.", nameof(leafHash));
        }

        if (entry.Position <= _lastPosition)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Entries are added in ascending position; {entry.Position} follows {_lastPosition}."), nameof(entry));
        }

        if (!ExecutionId.TryFromStreamName(entry.Stream, out var id))
        {
            return null;
        }

        _lastPosition = entry.Position;
        var proof = string.Equals(entry.Type, ProofType, StringComparison.Ordinal);
        if (!_members.TryGetValue(id, out var member))
        {
            if (proof)
            {
                return null;
            }

            member = Join(id, entry, @event, startsMidStream);
        }

        var tree = member.Tree;
        if (proof)
        {
            if (!member.HasProof)
            {
                member.HasProof = true;
                tree.UnprovenMembers--;
            }

            return member;
        }

        member.AddPosition(entry.Position);
        tree.AddEvent(member, entry.Position, leafHash);
        if (!member.IsEnded && TerminalTypes.Contains(entry.Type))
        {
            member.IsEnded = true;
            tree.OpenMembers--;
        }

        return member;
    }

    /// <summary>Releases a tree and its members; entries added later for its streams start new trees.</summary>
    public void Forget(LineageForestTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        foreach (var member in tree.Members)
        {
            if (_members.TryGetValue(member.Execution, out var held) && ReferenceEquals(held, member))
            {
                _members.Remove(member.Execution);
            }
        }

        tree.IsForgotten = true;
    }

    private LineageMember Join(ExecutionId id, LedgerEntry entry, IExecutionEvent? @event, bool startsMidStream)
    {
        var declared = !startsMidStream && string.Equals(entry.Type, IntentType, StringComparison.Ordinal);
        var parentRef = declared ? ParentOf(entry, @event) : null;
        LineageMember? parent = null;
        var complete = !startsMidStream;
        if (parentRef is not null && string.Equals(parentRef.Ledger, Origin, StringComparison.Ordinal) && parentRef.ExecutionId != id)
        {
            parent = _members.GetValueOrDefault(parentRef.ExecutionId);
            if (parent is { Declared: false })
            {
                parent = null;
            }

            if (parent is null && !HistoryFromStart)
            {
                complete = false;
            }
        }

        LineageForestTree tree;
        if (parent is null)
        {
            tree = new LineageForestTree(id, entry.Position, complete);
            _byAge.Enqueue(tree);
        }
        else
        {
            tree = parent.Tree;
        }

        var member = new LineageMember(id, parent?.Execution, declared, tree) { HistoryComplete = !startsMidStream };
        tree.Join(member);
        _members.Add(id, member);
        return member;
    }

    private static ParentRef? ParentOf(LedgerEntry entry, IExecutionEvent? @event)
    {
        if (@event is IntentDeclared intent)
        {
            return intent.Parent;
        }

        // An intent whose data is not valid names no parent.
        return ExecutionEventCodec.TryParse(entry.Type, entry.Data, out var parsed, out _) && parsed is IntentDeclared declared ? declared.Parent : null;
    }
}
