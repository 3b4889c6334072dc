using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ledger.Cli.Keys;

namespace Ledger.Cli.Admin;

/// <summary><c>ledger emitters register|revoke|list</c>: the emitter registry (admin token).</summary>
internal static class EmittersCommand
{
    public static Command Build(CliHost host, GlobalOptions global)
    {
        var emitters = new Command("emitters", "Register, revoke and list emitters (needs an admin token).");
        emitters.Subcommands.Add(Register(host, global));
        emitters.Subcommands.Add(Revoke(host, global));
        emitters.Subcommands.Add(List(host, global));
        return emitters;
    }

    private static Command Register(CliHost host, GlobalOptions global)
    {
        var name = new Option<string>("--name") { Description = "The emitter's name.", Required = true };
        var domains = new Option<string[]>("--domain") { Description = "A domain the emitter may speak for (repeat for several; '*' for all).", Required = true };
        var publicKey = new Option<string?>("--public-key-file")
        {
            Description = "File with the emitter's public key text (as 'keys generate' prints it), or its private key file.",
        };
        var signaturesRequired = new Option<bool>("--signatures-required") { Description = "Refuse this emitter's unsigned events." };
        var command = new Command("register", "Register an emitter (or re-register it with new domains or key).")
        {
            name, domains, publicKey, signaturesRequired,
        };
        CommandActions.Set(command, host, async (parse, ct) =>
        {
            var keyText = parse.GetValue(publicKey) is { } path ? KeyFiles.ReadPublicKeyText(path) : null;
            if (parse.GetValue(signaturesRequired) && keyText is null)
            {
                throw CliException.Usage("--signatures-required needs --public-key-file: the ledger could not verify the signatures.");
            }

            var emitter = parse.GetRequiredValue(name);
            using var client = LedgerClients.Authenticated(host, global.Resolve(parse, host));
            var position = await LedgerClients.CallAsync(() =>
                client.RegisterEmitterAsync(emitter, parse.GetRequiredValue(domains), keyText, parse.GetValue(signaturesRequired), ct)).ConfigureAwait(false);
            await host.Output.WriteLineAsync($"registered emitter '{emitter}' at position {Position(position)}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(CliHost host, GlobalOptions global)
    {
        var name = new Argument<string>("name") { Description = "The emitter to revoke." };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the log)." };
        var command = new Command("revoke", "Revoke an emitter: its tokens stop working.") { name, reason };
        CommandActions.Set(command, host, async (parse, ct) =>
        {
            var emitter = parse.GetRequiredValue(name);
            using var client = LedgerClients.Authenticated(host, global.Resolve(parse, host));
            var position = await LedgerClients.CallAsync(() => client.RevokeEmitterAsync(emitter, parse.GetValue(reason), ct)).ConfigureAwait(false);
            await host.Output.WriteLineAsync($"revoked emitter '{emitter}' at position {Position(position)}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliHost host, GlobalOptions global)
    {
        var command = new Command("list", "Print the emitter registry as JSON.");
        CommandActions.Set(command, host, async (parse, ct) =>
        {
            using var client = LedgerClients.Authenticated(host, global.Resolve(parse, host));
            var answer = await LedgerClients.CallAsync(() => client.ListEmittersAsync(ct)).ConfigureAwait(false);
            await host.Output.WriteLineAsync(JsonSerializer.Serialize(answer, JsonDefaults.Indented)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static string Position(long? position) => position?.ToString(CultureInfo.InvariantCulture) ?? "(not reported)";
}
