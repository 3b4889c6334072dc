using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using Ledger.Application.Jobs;
using Ledger.Domain.Log;
using Ledger.Store;
using Ledger.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Bench;

/// <summary>
/// Following peers (DESIGN §8.2, issue 11's targets), two real API hosts in this process on SQLite: a parent ledger
/// (<c>aws</c>) and a child ledger (<c>azure</c>) that has it as a peer.
/// <list type="bullet">
/// <item><b>Propagation</b>: N children on azure under one running parent on aws; the parent is halted over HTTP; each
/// child's end latency is its <c>execution.halted.v1</c>'s <c>recordedAt</c> on azure minus the halt's on aws (one
/// process, one clock). Target: within two follow intervals.</item>
/// <item><b>Tick cost</b>: a child ledger whose job never ticks by itself (interval one hour), with 10 running remote
/// parents and 10^2, then 10^4, open children spread over them; the median of <c>FollowJob.RunOnceAsync</c> timed
/// directly. Target: the ratio 10^4 ÷ 10^2 stays near 1 (the cost follows peers and parents, not children).</item>
/// </list>
/// Options: <c>--quick</c> (1 and 100 children; 10^2 and 10^3 for the tick cost), <c>--tick-only</c> (no propagation runs), <c>--engine postgres</c> (the tick's
/// child ledger on a private PostgreSQL; the parent ledger and the propagation runs stay on SQLite).
/// </summary>
internal static class FollowBench
{
    private const string Aws = "aws.bench/ledger";
    private const string Azure = "azure.bench/ledger";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = Measure.IsQuick(args);
        var directory = Directory.CreateTempSubdirectory("ledger-bench-follow-");
        var engine = Option(args, "--engine") ?? StoreOptions.Sqlite;
        await using var postgres = engine == StoreOptions.Postgres ? await PostgresServer.StartAsync() : null;
        try
        {
            Console.WriteLine($"# Follow benchmark ({(quick ? "quick" : "full")} run)");
            Console.WriteLine();
            Console.WriteLine($"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            Console.WriteLine($"- two API hosts in one process ({(postgres is null ? "both on SQLite" : "the tick's child ledger on PostgreSQL, the rest on SQLite")}); follow interval {Interval.TotalSeconds:0.#} s; aws checkpoints every 0.5 s");
            Console.WriteLine("- load average at start: " + Bench.LoadAverage());
            Console.WriteLine();
            Console.WriteLine("| remote children | ends seen | end latency p50 | p99 | max | p99 ÷ follow interval |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
            foreach (var children in args.Contains("--tick-only") ? [] : quick ? new[] { 1, 100 } : [1, 100, 1_000])
            {
                await PropagationAsync(directory.FullName, children);
            }

            Console.WriteLine();
            Console.WriteLine("| open remote children | remote parents | tick p50 | tick min |");
            Console.WriteLine("|---:|---:|---:|---:|");
            var ticks = new List<double>();
            foreach (var children in quick ? new[] { 100, 1_000 } : [100, 10_000])
            {
                ticks.Add(await TickCostAsync(directory.FullName, children, postgres));
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- tick p50 ratio, most ÷ fewest children: {ticks[^1] / ticks[0]:0.00}"));
            Console.WriteLine("- load average at end: " + Bench.LoadAverage());
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static async Task PropagationAsync(string root, int children)
    {
        var run = Path.Combine(root, "propagation-" + children.ToString(CultureInfo.InvariantCulture));
        await using var aws = Host(run, "aws", Aws, new() { ["Ledger:CheckpointInterval"] = "00:00:00.500" });
        await using var azure = Host(run, "azure", Azure, await PeerSettingsAsync(aws, Interval));
        await Lifecycle.StartAsync(aws.Node.Store, [("parent", null)]);
        await Lifecycle.StartAsync(azure.Node.Store, [.. Enumerable.Range(0, children).Select(i => ("child-" + i.ToString(CultureInfo.InvariantCulture), (string?)"parent"))], parentLedger: Aws);

        // Let the job prove the running parent once, as it would in steady state.
        await Task.Delay(3 * Interval);
        var from = await azure.Node.Store.GetTreeSizeAsync();
        await Lifecycle.HaltAsync(aws, "parent");
        var halt = (await aws.Node.Store.FindByEventIdAsync("parent-halt"))!.RecordedAt;

        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        while (latencies.Count < children && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            await foreach (var stored in azure.Node.Store.ReadLogAsync(from, 1000))
            {
                from = stored.Position + 1;
                var entry = LedgerEntry.Parse(stored.Entry);
                if (entry.Type == "execution.halted.v1" && entry.Stream.StartsWith("execution-child-", StringComparison.Ordinal))
                {
                    latencies.Add((entry.RecordedAt - halt).TotalMilliseconds);
                }
            }

            await Task.Delay(50);
        }

        var p99 = Bench.Percentile(latencies, 0.99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {children:N0} | {latencies.Count:N0} | {Bench.Percentile(latencies, 0.5):0} ms | {p99:0} ms | {latencies.DefaultIfEmpty().Max():0} ms | {p99 / Interval.TotalMilliseconds:0.00} |"));
    }

    private static async Task<double> TickCostAsync(string root, int children, PostgresServer? postgres)
    {
        const int parents = 10;
        var run = Path.Combine(root, "tick-" + children.ToString(CultureInfo.InvariantCulture));
        await using var aws = Host(run, "aws", Aws, new() { ["Ledger:CheckpointInterval"] = "00:00:00.500" });
        var settings = await PeerSettingsAsync(aws, TimeSpan.FromHours(1));
        await using var azure = postgres is null
            ? Host(run, "azure", Azure, settings)
            : BenchHost.Start(StoreOptions.Postgres, await postgres.CreateDatabaseAsync("bench_follow"), Path.Combine(run, "azure"), Azure, 8, settings);
        await Lifecycle.StartAsync(aws.Node.Store, [.. Enumerable.Range(0, parents).Select(p => ("parent-" + p.ToString(CultureInfo.InvariantCulture), (string?)null))]);
        await Lifecycle.StartAsync(azure.Node.Store,
            [.. Enumerable.Range(0, children).Select(i => ("child-" + i.ToString(CultureInfo.InvariantCulture), (string?)("parent-" + (i % parents).ToString(CultureInfo.InvariantCulture))))],
            parentLedger: Aws);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var job = azure.Services.GetRequiredService<FollowJob>();
        var times = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            var tick = Stopwatch.StartNew();
            var ended = await job.RunOnceAsync(CancellationToken.None);
            times.Add(tick.Elapsed.TotalMilliseconds);
            if (ended != 0)
            {
                throw new InvalidOperationException($"The tick ended {ended} children of running parents.");
            }
        }

        var steady = times.Skip(2).ToList();
        var p50 = Bench.Percentile(steady, 0.5);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {children:N0} | {parents} | {p50:0.0} ms | {steady.Min():0.0} ms |"));
        return p50;
    }

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private static BenchHost Host(string run, string name, string origin, Dictionary<string, string> settings) =>
        BenchHost.Start(StoreOptions.Sqlite, "Data Source=" + Path.Combine(run, name + ".db"), Path.Combine(run, name), origin, 8, settings);

    private static async Task<Dictionary<string, string>> PeerSettingsAsync(BenchHost parent, TimeSpan followInterval) => new()
    {
        ["Ledger:Peers:0:Origin"] = Aws,
        ["Ledger:Peers:0:Key"] = (await parent.Http.GetStringAsync("v1/log/key")).Trim(),
        ["Ledger:Peers:0:Url"] = parent.Http.BaseAddress!.ToString(),
        ["Ledger:FollowInterval"] = followInterval.ToString("c", CultureInfo.InvariantCulture),
    };
}
