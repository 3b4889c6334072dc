using System.CommandLine;

namespace Ledger.Cli.Log;

/// <summary><c>ledger checkpoint [--sign]</c>: the latest signed checkpoint, or sign one now (admin).</summary>
internal static class CheckpointCommand
{
    public static Command Build(CliHost host, GlobalOptions global)
    {
        var sign = new Option<bool>("--sign") { Description = "Ask the ledger to sign a checkpoint of the current tree now (admin token)." };
        var command = new Command("checkpoint", "Print the latest signed checkpoint (C2SP tlog-checkpoint signed note).") { sign };
        CommandActions.Set(command, host, async (parse, ct) =>
        {
            var connection = global.Resolve(parse, host);
            using var client = parse.GetValue(sign) ? LedgerClients.Authenticated(host, connection) : LedgerClients.Create(host, connection);
            var note = await LedgerClients.CallAsync(() => parse.GetValue(sign) ? client.SignCheckpointAsync(ct) : client.GetCheckpointAsync(ct))
                .ConfigureAwait(false);

            await host.Output.WriteAsync(note).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
