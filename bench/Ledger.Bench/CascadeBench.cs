using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using Ledger.Domain.Executions;
using Ledger.Store;
using Ledger.Testing;

namespace Ledger.Bench;

/// <summary>
/// Cascade suite (<c>cascade</c>): a running parent with 10,000 running descendants is halted over HTTP by its
/// emitter. Measures (a) the halting request's latency against the p50 of plain 1-event appends (runtime
/// verifications) over HTTP in the same run, and (b) the cascade's rate: descendants ended per second, from the
/// halt until <see cref="IEventStore.ListCascadesAsync"/> is empty (every descendant checked halted). The tree is
/// written straight to the store (<see cref="Lifecycle"/>); the host runs its jobs as in production (the cascade job
/// is woken by the halt). Shapes: <c>flat</c> (10,000 children) and <c>two-level</c> (100 children with 99 children
/// each). Options: <c>--quick</c> (2,000 descendants), <c>--engine sqlite|postgres</c>, <c>--descendants N</c>.
/// </summary>
internal static class CascadeBench
{
    private const string Origin = "bench.ledger/cascade";
    private const int Probes = 200;

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = Measure.IsQuick(args);
        var engines = Bench.Option(args, "--engine") is { } only ? [only] : new[] { StoreOptions.Sqlite, StoreOptions.Postgres };
        var descendants = Bench.Option(args, "--descendants") is { } d ? int.Parse(d, CultureInfo.InvariantCulture) : quick ? 2_000 : 10_000;

        var directory = Directory.CreateTempSubdirectory("ledger-bench-cascade-");
        await using var postgres = engines.Contains(StoreOptions.Postgres) ? await PostgresServer.StartAsync() : null;
        try
        {
            Console.WriteLine($"# Cascade benchmark ({(quick ? "quick" : "full")} run)");
            Console.WriteLine();
            Console.WriteLine($"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            Console.WriteLine($"- 1-event append p50/p99: {Probes} runtime verifications over HTTP, one client, one after another, before the halts (after {Probes / 10} warm-up appends)");
            Console.WriteLine("- during: the same appends, one client, while the cascade runs; halt, no descendants: p50 of halting 30 childless running executions, one after another (after 10), the same request without a cascade");
            Console.WriteLine("- cascade time: from sending the halt until ListCascadesAsync is empty (polled every 10 ms); CPU: this process's CPU time over it ÷ descendants");
            Console.WriteLine("- load average at start: " + Bench.LoadAverage());
            Console.WriteLine();
            Console.WriteLine("| engine | shape | descendants | built in | 1-event append p50 | p99 | halt, no descendants p50 | halt request | halt ÷ p50 | cascade time | descendants/s | CPU/descendant | append p50 during | appends/transaction |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var engine in engines)
            {
                var connection = engine == StoreOptions.Postgres
                    ? await postgres!.CreateDatabaseAsync("bench_cascade")
                    : "Data Source=" + Path.Combine(directory.FullName, "cascade-" + engine + ".db");
                await using var host = BenchHost.Start(engine, connection, Path.Combine(directory.FullName, engine), Origin, 8);
                var probe = new Probe(host.Http);
                await Lifecycle.StartAsync(host.Node.Store, [.. Enumerable.Range(0, 64).Select(i => (Probe.Execution(i), (string?)null))]);
                var lone = await LoneHaltsAsync(host);
                foreach (var shape in new[] { "flat", "two-level" })
                {
                    await RunShapeAsync(engine, shape, descendants, host, probe, lone);
                }
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

    /// <summary>The p50 of halting executions without descendants (the same request, no cascade): the control for the halt's latency.</summary>
    private static async Task<double> LoneHaltsAsync(BenchHost host)
    {
        const int count = 40;
        var ids = Enumerable.Range(0, count).Select(i => "lone-" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        await Lifecycle.StartAsync(host.Node.Store, [.. ids.Select(id => (id, (string?)null))]);
        var times = new List<double>();
        foreach (var id in ids)
        {
            var started = Stopwatch.GetTimestamp();
            await Lifecycle.HaltAsync(host, id);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return Bench.Percentile(times.Skip(count / 4).ToList(), 0.5);
    }

    private static async Task RunShapeAsync(string engine, string shape, int descendants, BenchHost host, Probe probe, double loneHalt)
    {
        var store = host.Node.Store;
        var root = $"cascade-{shape}";
        var build = Stopwatch.StartNew();
        await Lifecycle.StartAsync(store, [(root, null)]);
        var levels = shape == "flat"
            ? [[.. Enumerable.Range(0, descendants).Select(i => (Child(root, i), (string?)root))]]
            : TwoLevels(root, descendants);
        foreach (var level in levels)
        {
            await Lifecycle.StartAsync(store, level);
        }

        var built = build.Elapsed;
        var baseline = await probe.RunAsync(Probes, Probes / 10, CancellationToken.None);

        // The halt, then the cascade, with appends going on beside it.
        var internals = (EventStore)store;
        var (transactions, appends) = (internals.Transactions, internals.AppendedRequests);
        var cpu = Bench.Cpu();
        var started = Stopwatch.GetTimestamp();
        await Lifecycle.HaltAsync(host, root);

        var halt = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        using var stop = new CancellationTokenSource();
        var during = probe.RunAsync(int.MaxValue, 0, stop.Token);
        while ((await store.ListCascadesAsync(1)).Count > 0)
        {
            await Task.Delay(10);
        }

        var cascade = Stopwatch.GetElapsedTime(started);
        var cpuMs = (Bench.Cpu() - cpu).TotalMilliseconds;
        var perTransaction = (internals.AppendedRequests - appends) / (double)Math.Max(1, internals.Transactions - transactions);
        await stop.CancelAsync();
        var duringResult = await during;

        var all = await store.ListDescendantsAsync(ExecutionId.Parse(root));
        var halted = all.Count(x => x.Status == ExecutionStatus.Halted);
        if (all.Count != descendants || halted != descendants)
        {
            throw new InvalidOperationException($"{root}: {halted} of {all.Count} descendants halted, {descendants} expected.");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {engine} | {shape} | {descendants:N0} | {built.TotalSeconds:0.0} s | {Bench.Ms(baseline.P50)} | {Bench.Ms(baseline.P99)} | {Bench.Ms(loneHalt)} | {Bench.Ms(halt)} | {halt / baseline.P50:0.0} | {cascade.TotalSeconds:0.00} s | {descendants / cascade.TotalSeconds:N0} | {Bench.Ms(cpuMs / descendants)} | {Bench.Ms(duringResult.P50)} ({duringResult.Count}) | {perTransaction:0.0} |"));
    }

    private static string Child(string parent, int i) => parent + "-" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>√n children of the root, each with the same number of children, n descendants in all.</summary>
    private static List<List<(string, string?)>> TwoLevels(string root, int descendants)
    {
        var width = (int)Math.Round(Math.Sqrt(descendants));
        var first = Enumerable.Range(0, width).Select(i => (Child(root, i), (string?)root)).ToList();
        var second = new List<(string, string?)>();
        for (var i = 0; second.Count < descendants - width; i++)
        {
            var (parent, _) = first[i % width];
            second.Add((Child(parent, i / width), parent));
        }

        return [first, second];
    }

    /// <summary>One client appending runtime verifications (1-event appends) over HTTP, round-robin over 64 running executions.</summary>
    private sealed class Probe(HttpClient http)
    {
        private readonly long[] _versions = [.. Enumerable.Repeat(5L, 64)];
        private int _next;

        public static string Execution(int i) => "probe-" + i.ToString(CultureInfo.InvariantCulture);

        public async Task<(double P50, double P99, int Count)> RunAsync(int count, int warmup, CancellationToken stop)
        {
            var times = new List<double>();
            for (var i = 0; i < warmup + count && !stop.IsCancellationRequested; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await AppendAsync();
                if (i >= warmup)
                {
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            return (Bench.Percentile(times, 0.5), Bench.Percentile(times, 0.99), times.Count);
        }

        private async Task AppendAsync()
        {
            var i = _next++ % _versions.Length;
            var execution = Execution(i);
            var version = _versions[i];
            using var content = new ByteArrayContent(Lifecycle.VerificationBody(string.Create(CultureInfo.InvariantCulture, $"{execution}-{version}"), version));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync($"v1/streams/execution-{execution}/events", content);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Append to {execution} at {version}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            _versions[i] = version + 1;
        }
    }
}
