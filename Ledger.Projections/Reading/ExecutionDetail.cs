namespace Ledger.Projections.Reading;

/// <summary>One execution with everything the read model knows of it, and its entries.</summary>
public sealed record ExecutionDetail : ExecutionSummary
{
    public string? ReasonDetail { get; init; }

    /// <summary>The submission the ledger refused when it denied or halted the execution (fail closed), or null.</summary>
    public RejectedView? Rejected { get; init; }

    /// <summary>The emitter of the terminal entry (<c>ledger</c> when the ledger ended it).</summary>
    public string? EndedBy { get; init; }

    /// <summary>The domain of its first entry.</summary>
    public required string FirstDomain { get; init; }

    public IReadOnlyList<string> TargetDomains { get; init; } = [];

    public IReadOnlyList<string> Resources { get; init; } = [];

    public IReadOnlyList<string> RequestedScope { get; init; } = [];

    public string? PolicyDigest { get; init; }

    /// <summary>The oldest <c>syncedAt</c> among the target domains.</summary>
    public DateTimeOffset? GovernanceSyncedAt { get; init; }

    public string? AuthorizationId { get; init; }

    public string? Issuer { get; init; }

    public IReadOnlyList<string> GrantedScope { get; init; } = [];

    public DateTimeOffset? NotBefore { get; init; }

    public string? Workload { get; init; }

    public string? Measurement { get; init; }

    public string? RuntimeNode { get; init; }

    public DateTimeOffset? DeclaredAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? LastVerifiedAt { get; init; }

    public long VerificationCount { get; init; }

    /// <summary><c>succeeded</c> or <c>failed</c> once completed.</summary>
    public string? Outcome { get; init; }

    /// <summary>Position of its <c>execution.proof-persisted.v1</c>.</summary>
    public long? ProofPosition { get; init; }

    /// <summary>The checkpoint size its proof names.</summary>
    public long? ProofCheckpointSize { get; init; }

    /// <summary>The lineage digest its proof carries (docs/FORMAT.md §8).</summary>
    public string? LineageDigest { get; init; }

    /// <summary>The version of its last entry.</summary>
    public long StreamVersion { get; init; }

    public IReadOnlyList<ExecutionEventView> Events { get; init; } = [];
}
