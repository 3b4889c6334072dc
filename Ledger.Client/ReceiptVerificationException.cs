using Ledger.Domain.Notes;

namespace Ledger.Client;

/// <summary>A receipt that does not verify against the trusted keys; <see cref="Code"/> is the stable failure code
/// (<c>receipt-malformed</c>, <c>receipt-checkpoint-rejected</c>, <c>receipt-inclusion-failed</c>...).</summary>
public sealed class ReceiptVerificationException : LedgerException
{
    /// <summary>Creates the exception.</summary>
    public ReceiptVerificationException(string code, string message, TlogProofCheck? check = null)
        : base(code + ": " + message)
    {
        Code = code;
        Check = check;
    }

    /// <summary>The failure's stable code.</summary>
    public string Code { get; }

    /// <summary>The proof check's verdict with its evidence, when the receipt could be parsed.</summary>
    public TlogProofCheck? Check { get; }
}
