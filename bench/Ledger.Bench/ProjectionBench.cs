using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Ledger.Domain.Crypto;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;
using Ledger.Projections.Engine;
using Ledger.Projections.Tests.Workload;
using Ledger.Store;
using Ledger.Testing;

namespace Ledger.Bench;

/// <summary>
/// Projection suite (<c>projections</c>): on each engine, a generated multi-cloud workload (nested executions,
/// denials, halts, cascades, sweeps, checkpoints and proofs) appended to a store; then per projection the initial
/// build and a rebuild from position 0 (shadow tables, swap) in events/s, next to the rate of merely reading and
/// parsing the same log (the floor every projection pays; the median of three passes after a warm-up pass); then
/// lineage query latency (p50/p99) for trees of 10, 100 and 1,000 executions, without and with inclusion proofs. Starts its own private PostgreSQL.
/// Options: <c>--quick</c>, <c>--engine sqlite|postgres</c>, <c>--events N</c>, <c>--lineage-only</c> (no rebuilds).
/// </summary>
internal static partial class ProjectionBench
{
    private static readonly int[] TreeSizes = [10, 100, 1000];

    /// <summary>Timed passes of read + parse per engine, after one untimed pass; the median is the ratio's denominator.</summary>
    private const int ReadParsePassCount = 3;

    private static readonly List<string> ReadParsePasses = [];

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = Measure.IsQuick(args);
        var engines = Option(args, "--engine") is { } only ? [only] : new[] { StoreOptions.Sqlite, StoreOptions.Postgres };
        var events = Option(args, "--events") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : quick ? 40_000 : 200_000;
        var directory = Directory.CreateTempSubdirectory("ledger-bench-projections-");
        await using var postgres = engines.Contains(StoreOptions.Postgres) ? await PostgresServer.StartAsync() : null;
        using var signer = NoteSigner.Create(Workload.Origin, SigningKey.GenerateEcdsaP256());
        var count = 0;
        async Task<(string Store, string Projections)> DatabasesAsync(string engine)
        {
            var file = Path.Combine(directory.FullName, (++count).ToString(CultureInfo.InvariantCulture));
            if (engine == StoreOptions.Postgres)
            {
                var database = await postgres!.CreateDatabaseAsync("bench_projections");
                return (database, database);
            }

            return ("Data Source=" + file + ".db", "Data Source=" + file + "-projections.db");
        }

        try
        {
            Console.WriteLine($"# Projection benchmark ({(quick ? "quick" : "full")} run)");
            Console.WriteLine();
            Console.WriteLine($"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            Console.WriteLine("- load average at start (1, 5, 15 min; other work shares this machine): " + LoadAverage());
            Console.WriteLine("- read models: SQLite in a file of their own (WAL, synchronous=NORMAL); PostgreSQL in the ledger's database (synchronous_commit=off per batch); 1000 entries per transaction");
            Console.WriteLine();
            Console.WriteLine("## Rebuild throughput");
            Console.WriteLine();
            Console.WriteLine("| engine | log entries | projection | initial build events/s | rebuild events/s | read + parse only events/s | rebuild ÷ read + parse | rebuild CPU µs/event | read + parse CPU µs/event |");
            Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---:|");
            foreach (var engine in args.Contains("--lineage-only") ? [] : engines)
            {
                var (storeDb, projectionsDb) = await DatabasesAsync(engine);
                await RebuildAsync(engine, storeDb, projectionsDb, events, signer);
            }

            if (ReadParsePasses.Count > 0)
            {
                Console.WriteLine();
                Console.WriteLine($"- read + parse only: one untimed pass, then the median of {ReadParsePassCount} timed passes (events/s each, {string.Join("; ", ReadParsePasses)})");
            }

            Console.WriteLine();
            Console.WriteLine("## Lineage query latency");
            Console.WriteLine();
            Console.WriteLine("| engine | nodes | entries | lineage p50 | lineage p99 | with proofs, first request | with proofs p50 | with proofs p99 | with ÷ without (p50) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var engine in engines)
            {
                var (storeDb, projectionsDb) = await DatabasesAsync(engine);
                await LineageLatencyAsync(engine, storeDb, projectionsDb, quick, signer);
            }

            Console.WriteLine();
            Console.WriteLine("- load average at end: " + LoadAverage());
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static async Task RebuildAsync(string engine, string storeDb, string projectionsDb, int events, NoteSigner signer)
    {
        await using var store = await EventStoreFactory.OpenAsync(new StoreOptions { Engine = engine, ConnectionString = storeDb, Origin = Workload.Origin });
        var workload = new Workload(store, seed: 7);
        const int Chunk = 25_000;
        for (var appended = 0; appended < events; appended += Chunk)
        {
            await workload.AppendAsync(Math.Min(Chunk, events - appended));
            await workload.CheckpointAndProveAsync(signer);
        }

        var size = await store.GetTreeSizeAsync();
        await using var projections = await ProjectionEngine.OpenAsync(new ProjectionOptions { Engine = engine, ConnectionString = projectionsDb, BatchSize = 1000 }, store);
        var (parse, parseCpu, passes) = await ReadAndParseAsync(store, size);
        ReadParsePasses.Add(string.Create(CultureInfo.InvariantCulture, $"{engine}: {string.Join(" · ", passes.Select(p => p.ToString("N0", CultureInfo.InvariantCulture)))}"));
        var total = TimeSpan.Zero;
        foreach (var name in projections.Names)
        {
            var (initial, _) = await TimeAsync(() => projections.CatchUpAsync(name));
            await projections.RequestRebuildAsync(name);
            var (rebuild, rebuildCpu) = await TimeAsync(() => projections.CatchUpAsync(name));
            total += rebuild;
            var reads = name != "checkpoints";
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {engine} | {size:N0} | {name} | {size / initial.TotalSeconds:N0} | {size / rebuild.TotalSeconds:N0} | {(reads ? parse.ToString("N0", CultureInfo.InvariantCulture) : "–")} | {(reads ? (size / rebuild.TotalSeconds / parse).ToString("0.00", CultureInfo.InvariantCulture) : "–")} | {PerEvent(rebuildCpu, size)} | {(reads ? PerEvent(parseCpu, size) : "–")} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {engine} | {size:N0} | all three, one after another | | {size / total.TotalSeconds:N0} | | | | |"));
    }

    /// <summary>
    /// Reading the whole log in pages of 1000 and parsing every entry, nothing else: what any projection must at least do.
    /// One untimed pass first (JIT tiering, the store's page cache), then the median of <see cref="ReadParsePassCount"/>
    /// timed passes, so that one pass slowed by the JIT or by other work on the machine does not set the ratio.
    /// </summary>
    private static async Task<(double Median, TimeSpan MedianCpu, double[] Passes)> ReadAndParseAsync(IEventStore store, long size)
    {
        await ReadAndParseOnceAsync(store, size);
        var passes = new double[ReadParsePassCount];
        var cpu = new TimeSpan[ReadParsePassCount];
        for (var i = 0; i < passes.Length; i++)
        {
            var (wall, used) = await TimeAsync(() => ReadAndParseOnceAsync(store, size));
            passes[i] = size / wall.TotalSeconds;
            cpu[i] = used;
        }

        return (passes.Order().ElementAt(passes.Length / 2), cpu.Order().ElementAt(cpu.Length / 2), passes);
    }

    private static async Task ReadAndParseOnceAsync(IEventStore store, long size)
    {
        long position = 0;
        while (position < size)
        {
            await foreach (var stored in store.ReadLogAsync(position, 1000))
            {
                _ = LedgerEntry.Parse(stored.Entry);
                position = stored.Position + 1;
            }
        }
    }

    /// <summary>
    /// Wall time, and the process's CPU time (every thread: the runner's parsing and writing, GC, JIT), which is steadier than
    /// the wall time when other work shares the machine.
    /// </summary>
    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> TimeAsync(Func<Task> work)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await work();
        var wall = clock.Elapsed;
        process.Refresh();
        return (wall, process.TotalProcessorTime - cpu);
    }

    private static string PerEvent(TimeSpan cpu, long events) =>
        (cpu.TotalMicroseconds / events).ToString("0.0", CultureInfo.InvariantCulture);

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
