using Ledger.Client;
using Ledger.Domain.Crypto;

namespace Ledger.Cli;

/// <summary>
/// Makes the <see cref="LedgerClient"/> a command talks to the ledger through, and turns what the client reports into
/// the CLI's exit codes: a refusal (problem details) is <see cref="ExitCodes.ServerRefused"/>, an unreachable or silent
/// ledger <see cref="ExitCodes.ConnectionError"/>.
/// </summary>
internal static class LedgerClients
{
    /// <summary>A client for the public reads: the token is sent when there is one.</summary>
    public static LedgerClient Create(CliHost host, Connection connection) => Build(host, connection, null, null);

    /// <summary>A client for a command that needs a bearer token: without one, nothing is sent.</summary>
    public static LedgerClient Authenticated(CliHost host, Connection connection, SigningKey? key = null, string? emitter = null) =>
        connection.Token is null
            ? throw CliException.Usage($"This command needs a bearer token: pass --token, set ${GlobalOptions.TokenVariable} or pass --credentials FILE.")
            : Build(host, connection, key, emitter);

    private static LedgerClient Build(CliHost host, Connection connection, SigningKey? key, string? emitter) =>
        new(new LedgerClientOptions
        {
            BaseAddress = connection.Url,
            Token = connection.Token,
            SigningKey = key,
            Emitter = emitter,
            MaxRetries = host.Retries,
            RetryDelay = host.RetryDelay,
            AttemptTimeout = host.Timeout,
        }, host.HttpHandler?.Invoke());

    /// <summary>Runs one call of the client, reporting its failures as <see cref="CliException"/>s.</summary>
    public static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (LedgerProblemException refused)
        {
            throw new CliException(ExitCodes.ServerRefused, refused.Message);
        }
        catch (LedgerResponseException odd)
        {
            throw new CliException(ExitCodes.ServerRefused, odd.Message);
        }
        catch (LedgerConnectionException unreachable)
        {
            throw new CliException(ExitCodes.ConnectionError, unreachable.Message);
        }
    }
}
