using System.CommandLine;
using System.Data.Common;
using Ledger.Application.Access;
using Ledger.Application.Hosting;
using Ledger.Domain.Crypto;

namespace Ledger.Cli.Admin;

/// <summary>
/// <c>ledger admin token --data-dir DIR</c>: mints a fresh admin token with local access to a ledger's data directory
/// (no server, no token needed: reading the data directory is the authority) and records it in the log as every minted
/// token is. For a ledger whose first admin token was lost. The server may be running.
/// </summary>
internal static class AdminTokenCommand
{
    public static Command Build(CliHost host)
    {
        var dataDir = new Option<string>("--data-dir") { Description = "The ledger's data directory (holds ledger.key and, on SQLite, ledger.db).", Required = true };
        var engine = new Option<string>("--engine") { Description = "The ledger's store engine.", DefaultValueFactory = _ => "sqlite" };
        engine.AcceptOnlyFromAmong("sqlite", "postgres");
        var connection = new Option<string?>("--connection-string") { Description = "The store's connection string (required for postgres; SQLite defaults to DIR/ledger.db)." };
        var origin = new Option<string?>("--origin") { Description = "The log's origin; default: the name of the key in DIR/ledger.key (the origin unless Ledger:KeyName was set)." };
        var subject = new Option<string>("--subject") { Description = "Who the token is for (recorded in the log).", DefaultValueFactory = _ => "admin" };
        var token = new Command("token", "Mint a fresh admin token from the data directory; printed alone on standard output, shown only now.")
        {
            dataDir, engine, connection, origin, subject,
        };
        CommandActions.Set(token, host, async (parse, ct) =>
        {
            var dir = Path.GetFullPath(parse.GetRequiredValue(dataDir));
            var options = new LedgerOptions
            {
                DataDir = dir,
                Engine = parse.GetRequiredValue(engine),
                ConnectionString = parse.GetValue(connection),
                Origin = parse.GetValue(origin) ?? KeyName(dir),
            };
            MintedAdminToken minted;
            try
            {
                minted = await AdminTokens.MintAsync(options, parse.GetRequiredValue(subject), TimeProvider.System, ct).ConfigureAwait(false);
            }
            catch (LedgerConfigurationException e)
            {
                throw CliException.Usage(e.Message);
            }
            catch (Exception e) when (e is DbException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                throw new CliException(ExitCodes.ConnectionError, "cannot open the ledger in " + dir + ": " + e.Message.ReplaceLineEndings(" "));
            }

            await host.Error.WriteLineAsync($"minted admin token {minted.TokenId} at position {minted.Position}; it is shown only now").ConfigureAwait(false);
            await host.Output.WriteLineAsync(minted.Token).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        var admin = new Command("admin", "Operations with local access to a ledger's data directory.");
        admin.Subcommands.Add(token);
        return admin;
    }

    private static string KeyName(string dataDir)
    {
        var path = Path.Combine(dataDir, LedgerBootstrap.KeyFileName);
        if (!File.Exists(path))
        {
            throw CliException.Usage($"'{dataDir}' holds no ledger (no {LedgerBootstrap.KeyFileName})");
        }

        try
        {
            using var key = PrivateKeyText.Import(File.ReadAllText(path), out var name);
            return name ?? throw CliException.Usage($"{path} names no key; pass --origin");
        }
        catch (FormatException e)
        {
            throw CliException.Usage($"{path} is not a ledger key: {e.Message}");
        }
    }
}
