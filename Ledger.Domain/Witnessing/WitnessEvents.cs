using Ledger.Domain.Events;

namespace Ledger.Domain.Witnessing;

// The events of the ledger's witness, stream "$witness".

/// <summary>An event in the <c>$witness</c> stream: what this ledger, as a C2SP tlog-witness, vouched for.</summary>
/// <remarks>Implementations are immutable sealed records carrying a <see cref="WireNameAttribute"/>.</remarks>
public interface IWitnessEvent
{
    /// <summary>The origin line of the witnessed log.</summary>
    public string Origin { get; }
}

/// <summary>
/// The ledger's witness cosigned (c2sp.org/tlog-cosignature <c>cosignature/v1</c>) a checkpoint of a log it witnesses.
/// </summary>
/// <param name="Origin">The witnessed log's origin line.</param>
/// <param name="Size">The checkpoint's tree size.</param>
/// <param name="Root">The checkpoint's root hash, base64 (32 bytes).</param>
/// <param name="CosignedAt">The cosignature's timestamp, POSIX seconds (at least 1).</param>
/// <param name="Note">The cosigned checkpoint as a signed note: its text, the log's signatures the witness verified,
/// and the witness's cosignature line.</param>
/// <remarks>At most one per (origin, size): re-cosigning the same size (the tree the witness already holds) is not
/// recorded again.</remarks>
[WireName("witness.checkpoint-cosigned.v1")]
public sealed record CheckpointCosigned(string Origin, long Size, string Root, long CosignedAt, string Note) : IWitnessEvent;
