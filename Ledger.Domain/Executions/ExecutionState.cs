namespace Ledger.Domain.Executions;

/// <summary>
/// What the ledger knows of one execution, folded from its stream by
/// <see cref="Execution.Evolve(ExecutionState, IExecutionEvent, DateTimeOffset, string)"/>.
/// </summary>
/// <remarks>
/// Immutable: every change is a new instance made with <c>with</c>. Times are the ledger's
/// <c>recordedAt</c> of the event that set them, except those copied from event data
/// (<see cref="GovernanceSyncedAt"/>, <see cref="NotBefore"/>, <see cref="ExpiresAt"/>).
/// Members of later phases are null (or empty) until that phase is reached. Record equality
/// compares the list members by reference. Thread-safe.
/// </remarks>
public sealed record ExecutionState
{
    /// <summary>The execution.</summary>
    public required ExecutionId Id { get; init; }

    /// <summary>Where it stands.</summary>
    public ExecutionStatus Status { get; init; }

    /// <summary>The last phase reached (not moved by a denial or halt).</summary>
    public ExecutionPhase Phase { get; init; }

    /// <summary>The domain that declared the intent.</summary>
    public string? OriginDomain { get; init; }

    /// <summary>The actor's workload identity URI.</summary>
    public string? Actor { get; init; }

    /// <summary>The latest proven state of the remote parent (DESIGN §8.2), from the last <see cref="ParentAttested"/>; null otherwise.</summary>
    public AttestedParent? AttestedParent { get; init; }

    /// <summary>The declared action.</summary>
    public string? Action { get; init; }

    /// <summary>
    /// The governance attestations of peers recorded since the intent (<see cref="GovernanceAttested"/>), read by the
    /// decision on the governance claim they precede. Not kept in the execution record: they matter only to the claim
    /// appended with them.
    /// </summary>
    public IReadOnlyList<GovernanceAttested> AttestedGovernance { get; init; } = [];

    /// <summary>The domains the execution touches, origin included.</summary>
    public IReadOnlyList<string> TargetDomains { get; init; } = [];

    /// <summary>The scope asked for in the intent.</summary>
    public IReadOnlyList<string> RequestedScope { get; init; } = [];

    /// <summary>The parent execution, or null for a root.</summary>
    public ParentRef? Parent { get; init; }

    /// <summary>When the intent was recorded.</summary>
    public DateTimeOffset? DeclaredAt { get; init; }

    /// <summary>The synchronized policy's digest.</summary>
    public string? PolicyDigest { get; init; }

    /// <summary>The oldest <c>syncedAt</c> among the target domains: governance is fresh while this is within <c>maxPolicyAge</c>.</summary>
    public DateTimeOffset? GovernanceSyncedAt { get; init; }

    /// <summary>The authorization's id.</summary>
    public string? AuthorizationId { get; init; }

    /// <summary>The issuing domain.</summary>
    public string? Issuer { get; init; }

    /// <summary>The scope granted.</summary>
    public IReadOnlyList<string> GrantedScope { get; init; } = [];

    /// <summary>Start of the authorization window.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>End of the authorization window.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The attested workload.</summary>
    public string? Workload { get; init; }

    /// <summary>The measurement trust was established with; every verification must repeat it.</summary>
    public string? Measurement { get; init; }

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Where it runs.</summary>
    public string? RuntimeNode { get; init; }

    /// <summary>When it was last verified.</summary>
    public DateTimeOffset? LastVerifiedAt { get; init; }

    /// <summary>How many verifications were recorded.</summary>
    public int VerificationCount { get; init; }

    /// <summary>How it completed, once completed.</summary>
    public ExecutionOutcome? Outcome { get; init; }

    /// <summary>Why it was denied or halted.</summary>
    public Reason? Reason { get; init; }

    /// <summary>The detail of the denial or halt.</summary>
    public string? ReasonDetail { get; init; }

    /// <summary>When it ended (completed, denied or halted).</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Whether the ledger persisted its proof.</summary>
    public bool IsProven { get; init; }

    /// <summary>Whether the execution has ended: completed, denied or halted.</summary>
    public bool IsTerminal => Status is ExecutionStatus.Completed or ExecutionStatus.Denied or ExecutionStatus.Halted;

    /// <summary>The state of an execution with no events yet.</summary>
    public static ExecutionState Initial(ExecutionId id) => new() { Id = id };

    /// <summary>
    /// The last instant at which the running execution is still verified: the previous verification
    /// (or the start) plus <paramref name="maxVerificationInterval"/>; null before start. Never throws for a
    /// huge interval: past the calendar it is 9999-12-31T23:59:59.999999Z.
    /// </summary>
    public DateTimeOffset? VerificationDueAt(TimeSpan maxVerificationInterval) =>
        (LastVerifiedAt ?? StartedAt) is { } since ? Deadlines.After(since, maxVerificationInterval) : null;
}
