namespace Ledger.Cli;

/// <summary>The CLI's exit codes (docs/CLI.md lists the same).</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>The ledger answered with an error (a problem details document: refused, not found, conflict, 422...).</summary>
    public const int ServerRefused = 1;

    /// <summary>The command line or an input file (events, keys, credentials, receipt) is not usable; nothing was sent.</summary>
    public const int UsageError = 2;

    /// <summary>The ledger could not be reached (connection refused, name not resolved, timeout).</summary>
    public const int ConnectionError = 3;

    /// <summary>A receipt was checked offline and does not verify against the trusted keys.</summary>
    public const int VerificationFailed = 4;
}
