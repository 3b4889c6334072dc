namespace Ledger.Verifier;

/// <summary>How a bundle is verified.</summary>
/// <remarks>Immutable.</remarks>
public sealed record VerifierSettings
{
    /// <summary>
    /// Check only what hashes and signed checkpoints prove (leaf hashes, roots, proofs, checkpoint signatures, trailer),
    /// skipping entry parsing, emitter signatures, stream chains and the lifecycle replay. Off by default.
    /// </summary>
    public bool HashesOnly { get; init; }

    /// <summary>How many threads parse and verify entries in parallel; the machine's processor count by default.</summary>
    public int DegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The verifier's clock: a witness cosignature timestamped later than this (plus five minutes) does not count
    /// towards the quorum (c2sp.org/tlog-cosignature). Null: the time the verification starts.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>The checkpoint a previous audit verified (<c>--from-checkpoint</c>): the bundle must be a full bundle
    /// starting at its size, whose frontier is its range; the bundle's checkpoints are then linked to it. Null: none.</summary>
    public HeldCheckpoint? From { get; init; }

    /// <summary>How many records are read and prepared together (at most); null: 512, or 8,192 with <see cref="HashesOnly"/>.</summary>
    public int? BatchRecords { get; init; }
}
