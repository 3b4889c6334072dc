using System.CommandLine;

namespace Ledger.Cli.Log;

/// <summary><c>ledger key</c>: the ledger's verifier key as the server states it.</summary>
internal static class KeyCommand
{
    public static Command Build(CliHost host, GlobalOptions global)
    {
        var command = new Command(
            "key",
            "Print the ledger's verifier key (signed-note vkey). Compare it with a key obtained out of band before trusting it.");
        CommandActions.Set(command, host, async (parse, ct) =>
        {
            using var client = LedgerClients.Create(host, global.Resolve(parse, host));
            var key = await LedgerClients.CallAsync(() => client.GetVerifierKeyAsync(ct)).ConfigureAwait(false);
            await host.Output.WriteLineAsync(key).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
