namespace Ledger.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args) => LedgerCli.RunAsync(args, CliHost.FromProcess());
}
