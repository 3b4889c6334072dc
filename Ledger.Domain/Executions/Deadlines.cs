using System.Globalization;
using Ledger.Domain.Events;
using Ledger.Domain.Parameters;

namespace Ledger.Domain.Executions;

/// <summary>The time rules shared by decisions, the decision endpoint and the silence sweep.</summary>
internal static class Deadlines
{
    /// <summary>The latest instant the ledger writes, 9999-12-31T23:59:59.999999Z: a deadline past the calendar is this one.</summary>
    public static readonly DateTimeOffset Never = Rfc3339.TruncateToMicroseconds(DateTimeOffset.MaxValue);

    /// <summary>
    /// <paramref name="at"/> + <paramref name="span"/>, saturating at <see cref="Never"/> instead of throwing: a
    /// parameter written by a build that did not bound it (FORMAT §6.5) must not stop decisions or the sweep.
    /// </summary>
    public static DateTimeOffset After(DateTimeOffset at, TimeSpan span)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(span, TimeSpan.Zero);
        return span.Ticks >= Never.UtcTicks - at.UtcTicks ? Never : at.ToUniversalTime() + span;
    }

    /// <summary>The last instant a running execution is verified and authorized.</summary>
    public static DateTimeOffset ValidUntil(ExecutionState state, LedgerParameters parameters)
    {
        var due = state.VerificationDueAt(parameters.MaxVerificationInterval)
                  ?? throw new InvalidOperationException($"Execution '{state.Id}' has not started.");
        var expires = state.ExpiresAt ?? throw new InvalidOperationException($"Execution '{state.Id}' has no authorization.");
        return expires < due ? expires : due;
    }

    /// <summary>
    /// For a running execution at <paramref name="at"/>: null while in time, otherwise the deadline
    /// that passed first (<c>authorization-expired</c> on a tie) with a detail naming both instants.
    /// </summary>
    public static (Reason Reason, string Detail)? Overdue(ExecutionState state, DateTimeOffset at, LedgerParameters parameters)
    {
        var due = state.VerificationDueAt(parameters.MaxVerificationInterval)
                  ?? throw new InvalidOperationException($"Execution '{state.Id}' has not started.");
        var expires = state.ExpiresAt ?? throw new InvalidOperationException($"Execution '{state.Id}' has no authorization.");
        if (at <= due && at <= expires)
        {
            return null;
        }

        if (expires <= due)
        {
            return (Reason.AuthorizationExpired, $"the authorization expired at {Rfc3339.Format(expires)}; it is {Rfc3339.Format(at)}");
        }

        var since = state.LastVerifiedAt is null ? "the start" : "the last verification";
        return (Reason.RuntimeVerificationMissed,
            $"a verification was due by {Rfc3339.Format(due)} (maxVerificationInterval {Duration(parameters.MaxVerificationInterval)} after {since}); it is {Rfc3339.Format(at)}");
    }

    /// <summary>The last instant the intent may still start.</summary>
    public static DateTimeOffset IntentDeadline(ExecutionState state, LedgerParameters parameters) =>
        After(state.DeclaredAt ?? throw new InvalidOperationException($"Execution '{state.Id}' has no intent."), parameters.IntentTtl);

    /// <summary>Whether a declared, not yet started execution has outlived <c>intentTtl</c> at <paramref name="at"/>; the detail when it has.</summary>
    public static string? IntentExpired(ExecutionState state, DateTimeOffset at, LedgerParameters parameters)
    {
        var deadline = IntentDeadline(state, parameters);
        return at <= deadline
            ? null
            : $"the intent declared at {Rfc3339.Format(state.DeclaredAt!.Value)} had to start within intentTtl {Duration(parameters.IntentTtl)}, by {Rfc3339.Format(deadline)}; it is {Rfc3339.Format(at)}";
    }

    public static string Duration(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
