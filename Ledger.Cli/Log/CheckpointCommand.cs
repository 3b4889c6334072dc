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
            using var client = new LedgerClient(host, global.Resolve(parse, host));
            string note;
            if (parse.GetValue(sign))
            {
                using var response = await client.SendAsync(HttpMethod.Post, "v1/admin/checkpoint", null, authenticate: true, ct).ConfigureAwait(false);
                note = await LedgerClient.ReadTextAsync(response, ct).ConfigureAwait(false);
            }
            else
            {
                note = await client.GetTextAsync("v1/log/checkpoint", authenticate: false, ct).ConfigureAwait(false);
            }

            await host.Output.WriteAsync(note).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
