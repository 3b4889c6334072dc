using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Ledger.Domain.Log;
using Ledger.Store;
using Ledger.Testing;

namespace Ledger.Bench;

/// <summary>
/// Storage suite (<c>store</c>): append throughput per engine at 1, 8 and 64 concurrent writers with
/// 1 and 16 events per append, each next to a raw batched insert of the same rows into the same
/// table (no ledger logic) on the same engine in the same run; then inclusion and consistency proof
/// latency (p50/p99) at 10^4, 10^5 and 10^6 leaves. Starts its own private PostgreSQL.
/// Options: <c>--quick</c>, <c>--engine sqlite|postgres</c>, <c>--max-leaves N</c>, <c>--proofs-only</c> (skip the append
/// throughput part).
/// </summary>
internal static partial class StoreBench
{
    private const string Origin = "bench.ledger/store";
    private static readonly int[] Writers = [1, 8, 64];
    private static readonly int[] EventsPerAppend = [1, 16];

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = Measure.IsQuick(args);
        var engines = Option(args, "--engine") is { } only ? [only] : new[] { StoreOptions.Sqlite, StoreOptions.Postgres };
        var maxLeaves = Option(args, "--max-leaves") is { } max ? long.Parse(max, CultureInfo.InvariantCulture) : quick ? 100_000 : 1_000_000;
        var warmup = TimeSpan.FromSeconds(quick ? 0.5 : 1);
        var window = TimeSpan.FromSeconds(quick ? 1.5 : 4);
        var rounds = quick ? 1 : 3;

        var directory = Directory.CreateTempSubdirectory("ledger-bench-");
        await using var postgres = engines.Contains(StoreOptions.Postgres) ? await PostgresServer.StartAsync() : null;
        var databases = new Databases(directory.FullName, postgres);
        try
        {
            Console.WriteLine($"# Storage benchmark ({(quick ? "quick" : "full")} run)");
            Console.WriteLine();
            Console.WriteLine($"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            Console.WriteLine($"- each rate: {window.TotalSeconds:0.#} s measured after {warmup.TotalSeconds:0.#} s of warm-up on a fresh database; ledger and raw runs alternate, {rounds} of each, medians shown");
            Console.WriteLine("- load average at start (1, 5, 15 min; other work shares this machine): " + LoadAverage());
            Console.WriteLine("- SQLite: WAL, synchronous=FULL; PostgreSQL: private server, fsync=on, synchronous_commit=on (defaults otherwise)");
            Console.WriteLine();
            var proofsOnly = args.Contains("--proofs-only");
            if (!proofsOnly)
            {
                Console.WriteLine("## Append throughput");
                Console.WriteLine();
                Console.WriteLine("| engine | writers | events/append | ledger events/s | events/transaction | raw rows/s (rows/transaction) | ledger ÷ raw |");
                Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            }

            foreach (var engine in proofsOnly ? [] : engines)
            {
                foreach (var writers in Writers)
                {
                    foreach (var events in EventsPerAppend)
                    {
                        var ledgers = new List<Throughput>();
                        var raws = new List<double>();
                        for (var round = 0; round < rounds; round++)
                        {
                            ledgers.Add(await LedgerThroughputAsync(engine, await databases.NewAsync(engine), writers, events, warmup, window));
                            raws.Add(await RawThroughputAsync(engine, await databases.NewAsync(engine), writers, events, warmup, window));
                        }

                        var ledger = ledgers.OrderBy(l => l.EventsPerSecond).ElementAt(rounds / 2);
                        var raw = raws.Order().ElementAt(rounds / 2);
                        var rawBatch = writers * events;
                        Console.WriteLine(string.Create(
                            CultureInfo.InvariantCulture,
                            $"| {engine} | {writers} | {events} | {ledger.EventsPerSecond:N0} | {ledger.EventsPerTransaction:0.#} | {raw:N0} ({rawBatch}) | {ledger.EventsPerSecond / raw:0.00} |"));
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine("## Proof latency");
            Console.WriteLine();
            Console.WriteLine("| engine | leaves | inclusion p50 | inclusion p99 | consistency p50 | consistency p99 |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var engine in engines)
            {
                await ProofLatencyAsync(engine, await databases.NewAsync(engine), maxLeaves, quick ? 500 : 2000);
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

    private sealed record Throughput(double EventsPerSecond, double EventsPerTransaction);

    /// <summary>Writers append to their own stream with exact expected versions, as fast as they can.</summary>
    private static async Task<Throughput> LedgerThroughputAsync(string engine, string connectionString, int writers, int events, TimeSpan warmup, TimeSpan window)
    {
        await using var store = await EventStoreFactory.OpenAsync(new StoreOptions { Engine = engine, ConnectionString = connectionString, Origin = Origin });
        var internals = (EventStore)store;
        var data = Payload();
        long appended = 0;
        using var stop = new CancellationTokenSource();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var stream = "bench-" + w.ToString(CultureInfo.InvariantCulture);
            long version = 0;
            while (!stop.IsCancellationRequested)
            {
                var batch = new ProposedEvent[events];
                for (var n = 0; n < events; n++)
                {
                    var eventId = string.Create(CultureInfo.InvariantCulture, $"{stream}-{version + n + 1}");
                    batch[n] = new ProposedEvent(new EmitterStatement(stream, eventId, "bench.appended.v1", "bench", "bench-emitter", "2025-06-01T12:00:00Z", data, null), null);
                }

                var result = await store.AppendAsync(new AppendRequest(stream, version, DateTimeOffset.UtcNow, batch));
                if (result is not AppendResult.Appended)
                {
                    throw new InvalidOperationException("Unexpected append result: " + result);
                }

                version += events;
                Interlocked.Add(ref appended, events);
            }
        })).ToList();

        await Task.Delay(warmup);
        var (startEvents, startTransactions, clock) = (Interlocked.Read(ref appended), internals.Transactions, Stopwatch.StartNew());
        await Task.Delay(window);
        var (endEvents, endTransactions, elapsed) = (Interlocked.Read(ref appended), internals.Transactions, clock.Elapsed);
        await stop.CancelAsync();
        await Task.WhenAll(tasks);
        var count = endEvents - startEvents;
        return new Throughput(count / elapsed.TotalSeconds, count / (double)Math.Max(1, endTransactions - startTransactions));
    }

    /// <summary>A typical event payload (about 120 bytes of JSON).</summary>
    private static JsonElement Payload() =>
        JsonSerializer.SerializeToElement(new { action = "deploy", resource = "arn:aws:lambda:eu-west-1:123456789012:function:bench", scope = Scope });

    private static readonly string[] Scope = ["read", "write"];

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string Milliseconds(double value) => value.ToString("0.000", CultureInfo.InvariantCulture) + " ms";

    /// <summary>Fresh databases for each measurement: SQLite files in a temporary directory, PostgreSQL databases on the private server.</summary>
    private sealed class Databases(string directory, PostgresServer? postgres)
    {
        private int _count;

        public async Task<string> NewAsync(string engine)
        {
            var n = Interlocked.Increment(ref _count).ToString(CultureInfo.InvariantCulture);
            return engine == StoreOptions.Postgres
                ? await postgres!.CreateDatabaseAsync("bench")
                : "Data Source=" + Path.Combine(directory, n + ".db");
        }
    }
}
