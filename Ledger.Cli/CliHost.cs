namespace Ledger.Cli;

/// <summary>
/// What the CLI takes from its surroundings: where it writes, the environment it reads, and how it reaches the
/// ledger. The process uses the console and a plain <see cref="SocketsHttpHandler"/>; tests pass writers, a
/// dictionary environment and an in-process handler.
/// </summary>
public sealed class CliHost
{
    public required TextWriter Output { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Reads an environment variable (<c>LEDGER_URL</c>, <c>LEDGER_TOKEN</c>); null when unset.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Creates the handler behind the CLI's ledger client; the CLI does not dispose it. Null: a socket handler.</summary>
    public Func<HttpMessageHandler>? HttpHandler { get; init; }

    /// <summary>How long one request may take before the command fails with <see cref="ExitCodes.ConnectionError"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How many times a request that failed in passing (connection, timeout, 5xx) is tried again.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>The first delay before a retry (it doubles each time).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The clock: witness cosignatures timestamped in its future do not count towards a policy's quorum.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public static CliHost FromProcess() => new() { Output = Console.Out, Error = Console.Error };
}
