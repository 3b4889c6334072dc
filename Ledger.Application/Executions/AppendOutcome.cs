using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Store;

namespace Ledger.Application.Executions;

/// <summary>How the ledger answered one append request: a closed set, mapped to HTTP in <see cref="AppendEndpoints"/>.</summary>
public abstract record AppendOutcome
{
    private AppendOutcome()
    {
    }

    /// <summary>The events were appended (or, when <paramref name="Replayed"/>, had been appended before with the same content).</summary>
    public sealed record Created(IReadOnlyList<LedgerEntry> Entries, bool Replayed) : AppendOutcome;

    /// <summary>A lifecycle rule was broken: the ledger failed closed and appended <paramref name="LedgerEntries"/>.</summary>
    public sealed record Refused(Reason Reason, string Detail, RejectedEvent Rejected, IReadOnlyList<LedgerEntry> Appended, IReadOnlyList<LedgerEntry> LedgerEntries)
        : AppendOutcome;

    public sealed record Invalid(IDictionary<string, string[]> Errors) : AppendOutcome;

    public sealed record BadSignature(string Detail) : AppendOutcome;

    public sealed record SignatureRequired(string Emitter) : AppendOutcome;

    public sealed record Forbidden(string Detail) : AppendOutcome;

    public sealed record VersionConflict(long Expected, long Actual) : AppendOutcome;

    public sealed record EventIdConflict(string EventId) : AppendOutcome;

    public sealed record Terminal(string ExecutionId, string Status, string Detail) : AppendOutcome;

    /// <summary>An event's entry would be larger than <see cref="LedgerEntry.MaxCanonicalBytes"/>; nothing was appended.</summary>
    /// <param name="EventId">The event.</param>
    /// <param name="Size">The entry's canonical size in bytes, or (<paramref name="AtLeast"/>) the statement's, which the entry exceeds.</param>
    /// <param name="AtLeast">Whether <paramref name="Size"/> is a lower bound (the statement alone is over the limit).</param>
    public sealed record EntryTooLarge(string EventId, int Size, bool AtLeast) : AppendOutcome;

    /// <summary>A publication for a domain this ledger is not home for (DESIGN §8.2); nothing was appended.</summary>
    /// <param name="Domain">The domain.</param>
    /// <param name="Detail">Which domains this ledger is home for.</param>
    public sealed record NotHome(string Domain, string Detail) : AppendOutcome;

    /// <summary>Another conflict with the execution's state, e.g. a second intent (<c>execution-exists</c>).</summary>
    public sealed record Conflict(string Code, string Detail) : AppendOutcome;

    /// <summary>
    /// The outcome of the store's answer, for the answers every command maps the same way; null for
    /// <see cref="AppendResult.GuardConflict"/>, which the caller retries after reading its guards again.
    /// </summary>
    internal static AppendOutcome? Of(AppendResult result) => result switch
    {
        AppendResult.Appended appended => new Created(appended.Entries, Replayed: false),
        AppendResult.Duplicate duplicate => new Created(duplicate.Original, Replayed: true),
        AppendResult.VersionConflict conflict => new VersionConflict(conflict.Expected, conflict.Actual),
        AppendResult.EventIdConflict conflict => new EventIdConflict(conflict.EventId),
        AppendResult.Declined { Tag: AppendOutcome outcome } => outcome,
        AppendResult.GuardConflict => null,
        _ => throw new InvalidOperationException("Unknown append result " + result.Code),
    };
}
