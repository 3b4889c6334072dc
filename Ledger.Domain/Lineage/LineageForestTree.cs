using Ledger.Domain.Merkle;

// Lineage types live in Ledger.Domain.Executions: a namespace Ledger.Domain.Lineage would hide the
// Lineage rules class from every caller inside Ledger.Domain.*.
namespace Ledger.Domain.Executions;

/// <summary>
/// One lineage tree of a <see cref="LineageForest"/> as it stands after the entries added so far: its root, its
/// members, and its lineage digest (docs/FORMAT.md §8) kept as a compact Merkle range of its leaves.
/// </summary>
/// <remarks>
/// <para>Memory: the right border of the leaf tree (one 32-byte hash per set bit of the event count) and the member
/// ids, never the events themselves.</para>
/// <para>Changed only by its <see cref="LineageForest"/>; not thread-safe.</para>
/// </remarks>
public sealed class LineageForestTree
{
    private readonly List<LineageMember> _members = [];
    private byte[] _border = new byte[4 * MerkleHash.Size];
    private int _borderCount;

    internal LineageForestTree(ExecutionId root, long firstPosition, bool complete)
    {
        Root = root;
        FirstPosition = firstPosition;
        IsComplete = complete;
    }

    /// <summary>The root execution.</summary>
    public ExecutionId Root { get; }

    /// <summary>The members, in the order they joined (their first events' order).</summary>
    public IReadOnlyList<LineageMember> Members => _members;

    /// <summary>The position of the tree's first event.</summary>
    public long FirstPosition { get; }

    /// <summary>The position of the tree's last event (proofs excluded) so far.</summary>
    public long LastPosition { get; private set; } = -1;

    /// <summary>The member that holds <see cref="LastPosition"/>.</summary>
    public ExecutionId LastExecution { get; private set; }

    /// <summary>The number of events (leaves of the digest) so far.</summary>
    public long EventCount { get; private set; }

    /// <summary>Members that have not recorded a terminal event (completed, denied, halted).</summary>
    public int OpenMembers { get; internal set; }

    /// <summary>Members that have no <c>execution.proof-persisted.v1</c> yet.</summary>
    public int UnprovenMembers { get; internal set; }

    /// <summary>Whether every member has a proof: the tree is final and its members' proofs all seen.</summary>
    public bool IsProven => UnprovenMembers == 0;

    /// <summary>
    /// False when the entries given may not be the tree's whole history: a member was added from the middle of its
    /// stream, or an intent names a parent on this ledger that was not seen and the forest does not hold the log from
    /// its start. The digest of an incomplete tree is not the digest of the tree in the log.
    /// </summary>
    public bool IsComplete { get; internal set; }

    /// <summary>Whether the tree was released by <see cref="LineageForest.Forget"/>.</summary>
    public bool IsForgotten { get; internal set; }

    /// <summary>The 32-byte digest root of the events added so far (RFC 6962 root of the leaf data, FORMAT §8.2).</summary>
    /// <exception cref="InvalidOperationException">The tree has no event yet.</exception>
    public byte[] DigestRoot()
    {
        if (_borderCount == 0)
        {
            throw new InvalidOperationException($"The lineage tree of '{Root}' has no event yet.");
        }

        var root = Slot(_borderCount - 1).ToArray();
        for (var i = _borderCount - 2; i >= 0; i--)
        {
            MerkleHash.HashChildren(Slot(i), root, root);
        }

        return root;
    }

    /// <summary>The digest in its text form, <c>sha256:</c> and 64 lowercase hex digits (<see cref="LineageDigest.Compute"/>).</summary>
    /// <exception cref="InvalidOperationException">The tree has no event yet.</exception>
    public string Digest() => LineageDigest.Prefix + Convert.ToHexStringLower(DigestRoot());

    internal void Join(LineageMember member)
    {
        _members.Add(member);
        OpenMembers++;
        UnprovenMembers++;
    }

    /// <summary>Appends one event's leaf (FORMAT §8.2) to the compact range, as CompactRange.Append does.</summary>
    internal void AddEvent(LineageMember member, long position, ReadOnlySpan<byte> leafHash)
    {
        var data = LineageDigest.LeafData(position, leafHash, member.Execution, member.Parent);
        Span<byte> node = stackalloc byte[MerkleHash.Size];
        MerkleHash.HashLeaf(data, node);
        var merges = 0;
        for (var n = EventCount; (n & 1) == 1; n >>= 1)
        {
            merges++;
            MerkleHash.HashChildren(Slot(_borderCount - merges), node, node);
        }

        _borderCount -= merges;
        if ((_borderCount + 1) * MerkleHash.Size > _border.Length)
        {
            Array.Resize(ref _border, _border.Length * 2);
        }

        node.CopyTo(Slot(_borderCount));
        _borderCount++;
        EventCount++;
        LastPosition = position;
        LastExecution = member.Execution;
    }

    private Span<byte> Slot(int i) => _border.AsSpan(i * MerkleHash.Size, MerkleHash.Size);
}
