using System.CommandLine;

namespace Ledger.Cli;

/// <summary>Runs a command's action and turns an expected failure into its message and exit code.</summary>
internal static class CommandActions
{
    public static void Set(Command command, CliHost host, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                return await action(parse, ct).ConfigureAwait(false);
            }
            catch (CliException failure)
            {
                await host.Error.WriteLineAsync("error: " + failure.Message).ConfigureAwait(false);
                return failure.ExitCode;
            }
        });
}
