namespace Ledger.Cli.Tests;

/// <summary>What one CLI invocation did: its exit code and what it wrote.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
