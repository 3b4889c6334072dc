namespace Ledger.Cli;

/// <summary>An expected failure: printed as one message (no stack trace) and turned into an exit code.</summary>
public sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    public CliException()
        : this(ExitCodes.UsageError, "The command failed.")
    {
    }

    public CliException(string message)
        : this(ExitCodes.UsageError, message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException) => ExitCode = ExitCodes.UsageError;

    public int ExitCode { get; }

    /// <summary>A usage or input error (exit code 2).</summary>
    public static CliException Usage(string message) => new(ExitCodes.UsageError, message);
}
