namespace Ledger.Projections.Reading;

/// <summary>One execution as lists show it. Times are the ledger's <c>recordedAt</c> unless noted.</summary>
/// <remarks>Statuses, phases and reasons use the wire names of docs/FORMAT.md §6.</remarks>
public record ExecutionSummary
{
    public required string ExecutionId { get; init; }

    /// <summary><c>none</c>, <c>declared</c>, <c>governed</c>, <c>authorized</c>, <c>trusted</c>, <c>running</c>, <c>completed</c>, <c>denied</c>, <c>halted</c>.</summary>
    public required string Status { get; init; }

    /// <summary>The last phase reached, e.g. <c>authorization</c>.</summary>
    public required string Phase { get; init; }

    /// <summary>Why it was denied or halted (a reason code), or null.</summary>
    public string? Reason { get; init; }

    /// <summary>The domain that declared the intent; null when the intent was refused.</summary>
    public string? OriginDomain { get; init; }

    /// <summary>The cloud or provider: intent metadata <c>cloud</c>/<c>provider</c>, else the origin domain's first label when known.</summary>
    public string? Cloud { get; init; }

    /// <summary>The parent's ledger origin, when the intent names a parent.</summary>
    public string? ParentLedger { get; init; }

    /// <summary>The parent execution, when the intent names one.</summary>
    public string? ParentId { get; init; }

    /// <summary>The root of the lineage tree on this ledger (the execution itself for a root).</summary>
    public required string RootId { get; init; }

    /// <summary>0 for a root, 1 for its children, ...</summary>
    public long Depth { get; init; }

    public string? Actor { get; init; }

    public string? Action { get; init; }

    /// <summary>When its first entry was recorded.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its last entry was recorded.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it completed, was denied or halted.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The end of the authorization window (from the authorization's data).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Position of its first entry.</summary>
    public long FirstPosition { get; init; }

    /// <summary>Position of its last entry other than a proof.</summary>
    public long LastPosition { get; init; }

    /// <summary>Whether the ledger persisted its proof (<c>execution.proof-persisted.v1</c>).</summary>
    public bool Proven { get; init; }
}
