using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Ledger.Api.Projections;
using Ledger.Projections.Engine;
using Ledger.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Bench;

/// <summary>
/// The link job's tick (docs/FEDERATION.md, "Children on other ledgers"), two real API hosts in this process on SQLite: a
/// child ledger (<c>azure</c>) holding executions whose parent is on the parent ledger (<c>aws</c>), and <c>aws</c>, which
/// has <c>azure</c> as its peer and whose link job never ticks by itself (interval one hour). For each case (open children,
/// ended children) the ticks that catch up are timed once (they list and verify every child; a tick follows at most
/// 10,000), then the median of 10 further ticks:
/// the steady cost, which must follow the open children (each one's attestation is pulled and verified again) and not the
/// ended ones (the cursor is past them). The limit measured in the same run is the cost of pulling and verifying one
/// attestation (the catching up ÷ the children it verified), so the steady tick ÷ (open children × that cost) is near 1
/// when the tick does nothing else. Options: <c>--quick</c> (1,000 ended children instead of 10,000).
/// </summary>
internal static class LinksBench
{
    private const string Aws = "aws.bench/ledger";
    private const string Azure = "azure.bench/ledger";

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = Measure.IsQuick(args);
        var ended = quick ? 1_000 : 10_000;
        var directory = Directory.CreateTempSubdirectory("ledger-bench-links-");
        try
        {
            Console.WriteLine($"# Link job benchmark ({(quick ? "quick" : "full")} run)");
            Console.WriteLine();
            Console.WriteLine($"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            Console.WriteLine("- two API hosts in one process, both on SQLite; the child ledger checkpoints every 0.5 s; the link job is ticked directly");
            Console.WriteLine("- load average at start: " + Bench.LoadAverage());
            Console.WriteLine();
            Console.WriteLine("| open children | ended children | catching up (ticks) | per child verified | steady tick p50 | steady min | steady ÷ (open × per child) |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
            var baseline = await TickCostAsync(directory.FullName, 100, 0);
            var withEnded = await TickCostAsync(directory.FullName, 100, ended);
            var moreOpen = await TickCostAsync(directory.FullName, 1_000, 0);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- steady p50 ratio, {ended:N0} ended children added to 100 open: {withEnded / baseline:0.00} (target: near 1)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- steady p50 ratio, 1,000 open ÷ 100 open: {moreOpen / baseline:0.00} (each open child is asked about every tick: near 10)"));
            Console.WriteLine("- load average at end: " + Bench.LoadAverage());
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static async Task<double> TickCostAsync(string root, int open, int ended)
    {
        var run = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"links-{open}-{ended}"));
        // Neither job ticks by itself: azure's children have a parent on aws, which azure does not follow here.
        await using var azure = Host(run, "azure", Azure, new()
        {
            ["Ledger:CheckpointInterval"] = "00:00:00.500",
            ["Ledger:FollowInterval"] = "01:00:00",
        });
        await using var aws = Host(run, "aws", Aws, new()
        {
            ["Ledger:FollowInterval"] = "01:00:00",
            ["Ledger:Peers:0:Origin"] = Azure,
            ["Ledger:Peers:0:Key"] = (await azure.Http.GetStringAsync("v1/log/key")).Trim(),
            ["Ledger:Peers:0:Url"] = azure.Http.BaseAddress!.ToString(),
        });
        await Lifecycle.StartAsync(aws.Node.Store, [("parent", null)]);
        var ids = Enumerable.Range(0, open + ended).Select(i => "child-" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        await Lifecycle.StartAsync(azure.Node.Store, [.. ids.Select(id => (id, (string?)"parent"))], parentLedger: Aws);
        var next = open - 1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < ids.Count; i = Interlocked.Increment(ref next))
            {
                await Lifecycle.HaltAsync(azure, ids[i]).ConfigureAwait(false);
            }
        })));
        await SettleAsync(azure);

        var job = aws.Services.GetRequiredService<LinkJob>();
        // Catching up: a tick follows at most 20 pages of 500 of the listing, so more than 10,000 children take more ticks.
        // The links the ticks write twice (open children asked about again) are not counted as new.
        var first = Stopwatch.StartNew();
        var linked = await job.RunOnceAsync(CancellationToken.None);
        var catchUpTicks = 1;
        while (linked < open + ended && catchUpTicks < 10)
        {
            linked += await job.RunOnceAsync(CancellationToken.None) - open;
            catchUpTicks++;
        }

        var firstMs = first.Elapsed.TotalMilliseconds;
        if (linked != open + ended)
        {
            throw new InvalidOperationException($"The first ticks linked {linked} children, not {open + ended}.");
        }

        await SettleAsync(aws);

        var times = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var tick = Stopwatch.StartNew();
            var written = await job.RunOnceAsync(CancellationToken.None);
            times.Add(tick.Elapsed.TotalMilliseconds);
            if (written != open)
            {
                throw new InvalidOperationException($"A steady tick wrote {written} links, not the {open} open ones.");
            }
        }

        var perChild = firstMs / linked;
        var p50 = Bench.Percentile(times, 0.5);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {open:N0} | {ended:N0} | {firstMs:0} ms ({catchUpTicks}) | {perChild:0.00} ms | {p50:0.0} ms | {times.Min():0.0} ms | {p50 / (open * perChild):0.00} |"));
        return p50;
    }

    /// <summary>
    /// Waits until the ledger is quiet (its proof job has proven the ended trees, a checkpoint covers the whole log, so that
    /// every attestation can be served, and its projections have caught up), so that the ticks timed share the machine with
    /// nothing but each other.
    /// </summary>
    private static async Task SettleAsync(BenchHost host)
    {
        var store = host.Node.Store;
        var projections = host.Services.GetRequiredService<ProjectionEngine>();
        var until = Stopwatch.StartNew();
        var before = -1L;
        while (true)
        {
            var size = await store.GetTreeSizeAsync();
            var covered = ((await store.GetLatestCheckpointAsync())?.Size ?? -1) >= size;
            if (size == before && covered && !(await projections.GetStatusAsync()).Any(p => p.Lag > 0))
            {
                return;
            }

            if (until.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException("The ledger did not settle within three minutes.");
            }

            before = size;
            await Task.Delay(1000);
        }
    }

    private static BenchHost Host(string run, string name, string origin, Dictionary<string, string> settings) =>
        BenchHost.Start(StoreOptions.Sqlite, "Data Source=" + Path.Combine(run, name + ".db"), Path.Combine(run, name), origin, 16, settings);
}
