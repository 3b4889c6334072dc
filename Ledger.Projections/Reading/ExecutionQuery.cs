namespace Ledger.Projections.Reading;

/// <summary>Filters and paging of <see cref="ReadModels.ListExecutionsAsync"/>; null means any.</summary>
/// <remarks>Results come newest first (by the position of each execution's first entry).</remarks>
public sealed record ExecutionQuery
{
    /// <summary>An execution concerns a domain when it is the domain of its first entry, its origin or a target domain.</summary>
    public string? Domain { get; init; }

    public string? Cloud { get; init; }

    /// <summary>A status wire name.</summary>
    public string? Status { get; init; }

    /// <summary>A phase wire name.</summary>
    public string? Phase { get; init; }

    /// <summary>A reason code.</summary>
    public string? Reason { get; init; }

    /// <summary>Only the executions of this lineage tree.</summary>
    public string? RootId { get; init; }

    /// <summary>Only the children of this execution (on this ledger).</summary>
    public string? ParentId { get; init; }

    /// <summary>Only executions that ended (completed, denied or halted) at or after this instant.</summary>
    public DateTimeOffset? EndedSince { get; init; }

    /// <summary>First entry recorded at or after.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>First entry recorded before.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only executions whose first entry is before this position (the previous page's <see cref="ExecutionPage.NextCursor"/>).</summary>
    public long? Before { get; init; }

    /// <summary>Page size, 1 to <see cref="ReadModels.MaxPageSize"/>.</summary>
    public int Limit { get; init; } = 50;
}
