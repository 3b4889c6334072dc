namespace Ledger.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output, an empty environment unless given, and the given handler.</summary>
public static class Cli
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(null, null, args);

    public static async Task<CliResult> RunAsync(Func<HttpMessageHandler>? handler, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var host = new CliHost
        {
            Output = output,
            Error = error,
            Environment = name => environment is not null && environment.TryGetValue(name, out var value) ? value : null,
            HttpHandler = handler,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var code = await LedgerCli.RunAsync(args, host);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
