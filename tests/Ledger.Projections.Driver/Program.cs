using System.Globalization;
using Ledger.Projections.Engine;
using Ledger.Store;

namespace Ledger.Projections.Driver;

/// <summary>
/// Runs the projections of a ledger in a process of its own, so that tests can kill it (SIGKILL) in the
/// middle of projecting. Prints <c>position {name} {position}</c> after every committed batch, then
/// <c>caught-up</c> and exits 0 once every projection reached the end of the log.
/// </summary>
/// <remarks>
/// Usage: <c>--engine sqlite|postgres --store CS --projections CS --origin O [--batch 1000] [--commit-delay-ms 0]</c>
/// (<c>--batch</c> sets both batch sizes, so every transaction holds exactly that many entries).
/// <c>--commit-delay-ms</c> waits inside each batch's transaction, just before it commits, so that a kill
/// is likely to land in an open transaction.
/// </remarks>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        var delay = int.Parse(options.GetValueOrDefault("commit-delay-ms", "0"), CultureInfo.InvariantCulture);
        var output = Console.Out;
        var gate = new Lock();
        await using var store = await EventStoreFactory.OpenAsync(new StoreOptions
        {
            Engine = options["engine"],
            ConnectionString = options["store"],
            Origin = options["origin"],
        });
        await using var engine = await ProjectionEngine.OpenAsync(
            new ProjectionOptions
            {
                Engine = options["engine"],
                ConnectionString = options["projections"],
                BatchSize = int.Parse(options.GetValueOrDefault("batch", "1000"), CultureInfo.InvariantCulture),
                CatchUpBatchSize = int.Parse(options.GetValueOrDefault("batch", "1000"), CultureInfo.InvariantCulture),
            },
            store);
        engine.BeforeCommit = async (name, position) =>
        {
            if (delay > 0)
            {
                await Task.Delay(delay);
            }

            lock (gate)
            {
                // Printed before the commit: the position may be one batch ahead of what a kill leaves behind.
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"position {name} {position}"));
                output.Flush();
            }
        };
        await engine.CatchUpAsync();
        output.WriteLine("caught-up");
        output.Flush();
        return 0;
    }
}
