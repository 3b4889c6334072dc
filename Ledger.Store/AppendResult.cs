using Ledger.Domain.Log;

namespace Ledger.Store;

/// <summary>
/// The outcome of an append: a closed set (<see cref="Appended"/>, <see cref="Duplicate"/>,
/// <see cref="VersionConflict"/>, <see cref="EventIdConflict"/>). Only <see cref="Appended"/>
/// wrote anything.
/// </summary>
public abstract record AppendResult
{
    private AppendResult()
    {
    }

    /// <summary>A stable code naming the outcome.</summary>
    public abstract string Code { get; }

    /// <summary>The events were appended; the entries carry their positions and stream versions.</summary>
    public sealed record Appended(IReadOnlyList<LedgerEntry> Entries) : AppendResult
    {
        /// <inheritdoc />
        public override string Code => "appended";

        /// <summary>The decider's <see cref="ExecutionVerdict.Append.Tag"/>, for a decided append.</summary>
        public object? Tag { get; init; }

        /// <summary>The execution record as this append left it, for an execution stream.</summary>
        public ExecutionRecord? Record { get; init; }
    }

    /// <summary>The decider appended nothing (<see cref="ExecutionVerdict.Decline"/>).</summary>
    public sealed record Declined(object Tag) : AppendResult
    {
        /// <inheritdoc />
        public override string Code => "declined";
    }

    /// <summary>A guarded stream (<see cref="AppendRequest.Guards"/>) had moved; nothing appended.</summary>
    public sealed record GuardConflict(string Stream, long Expected, long Actual) : AppendResult
    {
        /// <inheritdoc />
        public override string Code => "guard-conflict";
    }

    /// <summary>
    /// Every event id was already in the log with the same statement digest: the original entries,
    /// nothing appended (an idempotent retry).
    /// </summary>
    public sealed record Duplicate(IReadOnlyList<LedgerEntry> Original) : AppendResult
    {
        /// <inheritdoc />
        public override string Code => "duplicate";
    }

    /// <summary>The stream's version was not the expected one; nothing appended.</summary>
    public sealed record VersionConflict(long Expected, long Actual) : AppendResult
    {
        /// <inheritdoc />
        public override string Code => "version-conflict";
    }

    /// <summary>
    /// An event id is already in the log with other content (or the request mixes known and new
    /// event ids); nothing appended.
    /// </summary>
    public sealed record EventIdConflict(string EventId) : AppendResult
    {
        /// <inheritdoc />
        public override string Code => "event-id-conflict";
    }
}
