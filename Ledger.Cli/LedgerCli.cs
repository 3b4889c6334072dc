using System.CommandLine;
using System.CommandLine.Invocation;
using Ledger.Cli.Admin;
using Ledger.Cli.Append;
using Ledger.Cli.Keys;
using Ledger.Cli.Log;

namespace Ledger.Cli;

/// <summary>
/// The <c>ledger</c> command line for emitters and operators: keys, emitters, tokens, appends, checkpoints,
/// receipts and exports against a ledger's HTTP API (docs/CLI.md).
/// </summary>
public static class LedgerCli
{
    /// <summary>Parses and runs one command line; returns its exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(host);
        var root = Build(host);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                await host.Error.WriteLineAsync("error: " + error.Message).ConfigureAwait(false);
            }

            await host.Error.WriteLineAsync("Run 'ledger --help' for usage.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        var configuration = new InvocationConfiguration { Output = host.Output, Error = host.Error, EnableDefaultExceptionHandler = false };
        return await parse.InvokeAsync(configuration, ct).ConfigureAwait(false);
    }

    private static RootCommand Build(CliHost host)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("Governed Execution Ledger: keys, emitters, tokens, appends, checkpoints, receipts and exports.");
        global.AddTo(root);
        root.Subcommands.Add(KeysCommand.Build(host));
        root.Subcommands.Add(EmittersCommand.Build(host, global));
        root.Subcommands.Add(TokensCommand.Build(host, global));
        root.Subcommands.Add(AppendCommand.Build(host, global));
        root.Subcommands.Add(CheckpointCommand.Build(host, global));
        root.Subcommands.Add(KeyCommand.Build(host, global));
        root.Subcommands.Add(ReceiptCommand.Build(host, global));
        root.Subcommands.Add(ExportCommand.Build(host, global));
        root.Subcommands.Add(AdminTokenCommand.Build(host));
        return root;
    }
}
