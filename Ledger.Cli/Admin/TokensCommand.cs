using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Ledger.Cli.Admin;

/// <summary><c>ledger tokens mint|revoke</c>: bearer tokens (admin token).</summary>
internal static class TokensCommand
{
    public static Command Build(CliHost host, GlobalOptions global)
    {
        var tokens = new Command("tokens", "Mint and revoke bearer tokens (needs an admin token).");
        tokens.Subcommands.Add(Mint(host, global));
        tokens.Subcommands.Add(Revoke(host, global));
        return tokens;
    }

    private static Command Mint(CliHost host, GlobalOptions global)
    {
        var subject = new Option<string>("--subject") { Description = "The emitter's name (or a person's or team's name with --role admin or --role viewer).", Required = true };
        var role = new Option<string>("--role") { Description = "What the token may do.", DefaultValueFactory = _ => "emitter" };
        role.AcceptOnlyFromAmong("emitter", "admin", "viewer");
        var expiresAt = new Option<DateTimeOffset?>("--expires-at") { Description = "When the token stops working (RFC 3339, e.g. 2030-01-01T00:00:00Z); default never." };
        var output = new Option<string?>("--out")
        {
            Description = "Write a credentials file {\"emitter\", \"token\"} (mode 0600) for --credentials instead of printing the token.",
        };
        var command = new Command("mint", "Mint a token; the token is shown once (printed alone on standard output, or written with --out).")
        {
            subject, role, expiresAt, output,
        };
        CommandActions.Set(command, host, async (parse, ct) =>
        {
            var outPath = parse.GetValue(output);
            if (outPath is not null)
            {
                InputFiles.RequireAbsent(outPath);
            }

            using var client = LedgerClients.Authenticated(host, global.Resolve(parse, host));
            var minted = await LedgerClients.CallAsync(() =>
                client.MintTokenAsync(parse.GetRequiredValue(subject), parse.GetRequiredValue(role), parse.GetValue(expiresAt), ct)).ConfigureAwait(false);
            var expires = minted.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture) ?? "never";
            if (outPath is not null)
            {
                new CredentialsFile(minted.Role == "emitter" ? minted.Subject : null, minted.Token).Write(outPath);
                await host.Error.WriteLineAsync($"minted token {minted.TokenId} for {minted.Role} '{minted.Subject}' (expires {expires}); wrote {outPath}")
                    .ConfigureAwait(false);
                await host.Output.WriteLineAsync(minted.TokenId).ConfigureAwait(false);
            }
            else
            {
                await host.Error.WriteLineAsync($"minted token {minted.TokenId} for {minted.Role} '{minted.Subject}' (expires {expires}); it is shown only now")
                    .ConfigureAwait(false);
                await host.Output.WriteLineAsync(minted.Token).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(CliHost host, GlobalOptions global)
    {
        var id = new Argument<string>("token-id") { Description = "The token's id (16 hex digits, as 'tokens mint' reports it)." };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the log)." };
        var command = new Command("revoke", "Revoke a token.") { id, reason };
        CommandActions.Set(command, host, async (parse, ct) =>
        {
            var tokenId = parse.GetRequiredValue(id);
            using var client = LedgerClients.Authenticated(host, global.Resolve(parse, host));
            var position = await LedgerClients.CallAsync(() => client.RevokeTokenAsync(tokenId, parse.GetValue(reason), ct)).ConfigureAwait(false);
            await host.Output.WriteLineAsync($"revoked token {tokenId} at position {EmittersCommand.Position(position)}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
