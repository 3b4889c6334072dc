namespace Ledger.Client;

/// <summary>The base of every failure the client reports: <see cref="LedgerProblemException"/> (the ledger refused),
/// <see cref="LedgerConnectionException"/> (it could not be reached in time), <see cref="LedgerResponseException"/>
/// (its answer breaks the protocol) and <see cref="ReceiptVerificationException"/> (a receipt does not verify).</summary>
public abstract class LedgerException : Exception
{
    private protected LedgerException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>The ledger could not be reached, or did not answer in time, after every retry.</summary>
public sealed class LedgerConnectionException : LedgerException
{
    /// <summary>Creates the exception.</summary>
    public LedgerConnectionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>The ledger's answer is not what its protocol says (not JSON, an entry out of order, a body cut short).</summary>
public sealed class LedgerResponseException : LedgerException
{
    /// <summary>Creates the exception.</summary>
    public LedgerResponseException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>The ledger refused the request; <see cref="Problem"/> is its RFC 9457 problem details.</summary>
public sealed class LedgerProblemException : LedgerException
{
    /// <summary>Creates the exception; its message is <see cref="LedgerProblem.Describe"/>.</summary>
    public LedgerProblemException(LedgerProblem problem)
        : base((problem ?? throw new ArgumentNullException(nameof(problem))).Describe()) => Problem = problem;

    /// <summary>What the ledger answered.</summary>
    public LedgerProblem Problem { get; }

    /// <summary>The HTTP status.</summary>
    public int Status => Problem.Status;

    /// <summary>True for a fail-closed refusal (422 <c>lifecycle-violation</c>): the ledger appended the denial or halt
    /// at <see cref="LedgerProblem.Position"/>.</summary>
    public bool FailedClosed => Problem.Slug == "lifecycle-violation";
}
