namespace Ledger.Verifier;

/// <summary>The verdict, and the process exit code of each.</summary>
public enum VerificationOutcome
{
    /// <summary>Every check passed (exit 0).</summary>
    Valid = 0,

    /// <summary>At least one check failed (exit 1).</summary>
    Invalid = 1,

    /// <summary>The input could not be verified: not a bundle, an unknown version, malformed, truncated, unreadable, or bad arguments (exit 2).</summary>
    Unusable = 2,
}
