using Ledger.Domain.Merkle;

// Lineage types live in Ledger.Domain.Executions: a namespace Ledger.Domain.Lineage would hide the
// Lineage rules class from every caller inside Ledger.Domain.*.
namespace Ledger.Domain.Executions;

/// <summary>One event of a lineage node: its log position and its entry's leaf hash (docs/FORMAT.md §3.1).</summary>
/// <remarks>
/// Invariants (<see cref="ArgumentException"/> on construction): <see cref="Position"/> ≥ 0 and
/// <see cref="LeafHash"/> is <see cref="MerkleHash.Size"/> bytes. The array is copied in and must not be
/// changed through the property. Immutable and thread-safe.
/// </remarks>
public sealed record LineageEvent
{
    private readonly byte[] _leafHash;

    /// <summary>Creates an event.</summary>
    /// <param name="position">The entry's 0-based log position.</param>
    /// <param name="leafHash">SHA-256(0x00 ‖ entry), 32 bytes.</param>
    public LineageEvent(long position, ReadOnlySpan<byte> leafHash)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"A leaf hash is {MerkleHash.Size} bytes, not {leafHash.Length}.", nameof(leafHash));
        }

        Position = position;
        _leafHash = leafHash.ToArray();
    }

    /// <summary>The entry's 0-based log position.</summary>
    public long Position { get; }

    /// <summary>The entry's leaf hash.</summary>
    public ReadOnlySpan<byte> LeafHash => _leafHash;

    /// <inheritdoc/>
    public bool Equals(LineageEvent? other) =>
        other is not null && Position == other.Position && _leafHash.AsSpan().SequenceEqual(other._leafHash);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Position, BitConverter.ToInt32(_leafHash, 0));
}
