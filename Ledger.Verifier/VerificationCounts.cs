namespace Ledger.Verifier;

/// <summary>How much the verifier checked.</summary>
/// <remarks>Immutable.</remarks>
public sealed record VerificationCounts
{
    /// <summary>Lines read.</summary>
    public long Lines { get; init; }

    /// <summary>Bytes read.</summary>
    public long Bytes { get; init; }

    /// <summary>Entries (leaf hashes recomputed), context entries included.</summary>
    public long Entries { get; init; }

    /// <summary>Entries checked by an inclusion proof.</summary>
    public long InclusionProofs { get; init; }

    /// <summary>Checkpoints read (signatures checked).</summary>
    public long Checkpoints { get; init; }

    /// <summary>Checkpoint roots recomputed from the entries (full bundles).</summary>
    public long RootsRecomputed { get; init; }

    /// <summary>Consistency proofs checked.</summary>
    public long ConsistencyProofs { get; init; }

    /// <summary>Streams whose versions and chains were followed.</summary>
    public long Streams { get; init; }

    /// <summary>Emitter signatures verified.</summary>
    public long SignaturesVerified { get; init; }

    /// <summary>Executions whose lifecycle was replayed.</summary>
    public long ExecutionsReplayed { get; init; }

    /// <summary>Execution events judged by the replay.</summary>
    public long EventsReplayed { get; init; }

    /// <summary>Execution events not judged (history before the bundle, replay stopped, malformed).</summary>
    public long EventsNotReplayed { get; init; }

    /// <summary>Lineage checks skipped because the parent is not in the bundle.</summary>
    public long LineageNotChecked { get; init; }

    /// <summary>Proof-persisted events checked against their lineage tree, positions and checkpoint.</summary>
    public long ProofsChecked { get; init; }

    /// <summary>Proofs whose lineage digest was not checked: the tree is not wholly in the bundle.</summary>
    public long ProofDigestsNotChecked { get; init; }

    /// <summary>Proofs whose checkpoint root was not checked: the bundle holds no checkpoint of that size and need not.</summary>
    public long ProofRootsNotChecked { get; init; }

    /// <summary>Wall-clock time.</summary>
    public TimeSpan Elapsed { get; init; }
}
