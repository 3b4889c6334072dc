using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Ledger.Application.Jobs;
using Ledger.Application.Registry;
using Ledger.Store;
using Ledger.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Bench;

/// <summary>
/// Sweep suite (<c>sweep</c>): the cost of one silence-sweep tick when nothing is due, as the number of open
/// executions grows (DESIGN §10: flat). On the real host (its own sweep ticks switched off), running executions are
/// written straight to the store (<see cref="Lifecycle"/>) up to 10^3, 10^4 and 10^5; at each size,
/// <see cref="SweepJob.RunOnceAsync"/> and the store's <see cref="IEventStore.ListDueAsync"/> alone are timed, one
/// call at a time. Options: <c>--quick</c> (10^3 and 10^4), <c>--engine sqlite|postgres</c>, <c>--ticks N</c>.
/// </summary>
internal static class SweepBench
{
    private const string Origin = "bench.ledger/sweep";

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = Measure.IsQuick(args);
        var engines = Bench.Option(args, "--engine") is { } only ? [only] : new[] { StoreOptions.Sqlite, StoreOptions.Postgres };
        int[] sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
        var ticks = Bench.Option(args, "--ticks") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : quick ? 100 : 300;

        var directory = Directory.CreateTempSubdirectory("ledger-bench-sweep-");
        await using var postgres = engines.Contains(StoreOptions.Postgres) ? await PostgresServer.StartAsync() : null;
        try
        {
            Console.WriteLine($"# Sweep benchmark ({(quick ? "quick" : "full")} run)");
            Console.WriteLine();
            Console.WriteLine($"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            Console.WriteLine($"- per size: {ticks} ticks one after another after {ticks / 10} warm-up ticks; every tick must find nothing due");
            Console.WriteLine("- tick: SweepJob.RunOnceAsync (registry snapshot, ListDueAsync over the deadline indexes, nothing to end); ListDueAsync: the store call alone");
            Console.WriteLine("- CPU/tick: this process's CPU time over the ticks ÷ ticks (the host is idle otherwise: its checkpoint job has nothing new to sign)");
            Console.WriteLine("- load average at start: " + Bench.LoadAverage());
            Console.WriteLine();
            Console.WriteLine("| engine | open executions | built in | tick p50 | tick p99 | tick CPU | ListDueAsync p50 | ListDueAsync p99 |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var engine in engines)
            {
                var connection = engine == StoreOptions.Postgres
                    ? await postgres!.CreateDatabaseAsync("bench_sweep")
                    : "Data Source=" + Path.Combine(directory.FullName, "sweep-" + engine + ".db");
                await using var host = BenchHost.Start(engine, connection, Path.Combine(directory.FullName, engine), Origin, 8,
                    new Dictionary<string, string> { ["Ledger:SweepInterval"] = "1.00:00:00" });
                var store = host.Node.Store;
                var sweep = host.Services.GetRequiredService<SweepJob>();
                var registry = host.Services.GetRequiredService<LedgerRegistry>();
                var results = new List<(int Size, double P50)>();
                var open = 0;
                foreach (var size in sizes)
                {
                    var build = Stopwatch.StartNew();
                    await Lifecycle.StartAsync(store, [.. Enumerable.Range(open, size - open).Select(i => ("sweep-" + i.ToString(CultureInfo.InvariantCulture), (string?)null))]);
                    var built = build.Elapsed;
                    open = size;

                    var tick = await TimeAsync(ticks, async () =>
                    {
                        var ended = await sweep.RunOnceAsync(CancellationToken.None);
                        if (ended != 0)
                        {
                            throw new InvalidOperationException($"The sweep ended {ended} executions: something was due.");
                        }
                    });
                    var parameters = (await registry.GetAsync(CancellationToken.None)).Parameters;
                    var list = await TimeAsync(ticks, async () =>
                    {
                        var due = await store.ListDueAsync(DateTimeOffset.UtcNow, parameters.IntentTtl, parameters.MaxVerificationInterval, 512);
                        if (due.Count != 0)
                        {
                            throw new InvalidOperationException($"{due.Count} executions are due.");
                        }
                    });
                    results.Add((size, tick.P50));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {engine} | {size:N0} | {built.TotalSeconds:0.0} s | {Bench.Ms(tick.P50)} | {Bench.Ms(tick.P99)} | {Bench.Ms(tick.CpuMs)} | {Bench.Ms(list.P50)} | {Bench.Ms(list.P99)} |"));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {engine} | tick p50 ratio {results[^1].Size:N0} ÷ {results[0].Size:N0} | | **{results[^1].P50 / results[0].P50:0.00}** | | | | |"));
            }

            Console.WriteLine();
            Console.WriteLine("- load average at end: " + Bench.LoadAverage());
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static async Task<(double P50, double P99, double CpuMs)> TimeAsync(int count, Func<Task> call)
    {
        for (var i = 0; i < Math.Max(1, count / 10); i++)
        {
            await call();
        }

        var times = new List<double>(count);
        var cpu = Bench.Cpu();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var cpuMs = (Bench.Cpu() - cpu).TotalMilliseconds / count;
        return (Bench.Percentile(times, 0.5), Bench.Percentile(times, 0.99), cpuMs);
    }
}
