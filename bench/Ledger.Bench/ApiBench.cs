using System.Globalization;
using System.Net.Http.Headers;
using System.Net;
using System.Runtime.InteropServices;
using Ledger.Store;
using Ledger.Testing;

namespace Ledger.Bench;

/// <summary>
/// API suite (<c>api</c>): HTTP append throughput and p50/p99 latency of the real API (Kestrel on a loopback port,
/// in process) for 1-event and 16-event appends at 64 concurrent clients on each engine, as a ratio to the
/// store-level rate (<see cref="IEventStore.AppendAsync"/> directly, same engine, same event shapes, same clients,
/// same run). Each client drives its own executions through valid lifecycle events (intent, governance,
/// authorization, runtime trust, start, then runtime verifications up to 64 events per execution).
/// Options: <c>--quick</c>, <c>--engine sqlite|postgres</c>, <c>--clients N</c>, <c>--events-per-execution N</c> (default 64).
/// </summary>
internal static partial class ApiBench
{
    private const string Origin = "bench.ledger/api";
    private static readonly int[] EventsPerAppend = [1, 16];

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = Measure.IsQuick(args);
        var engines = Option(args, "--engine") is { } only ? [only] : new[] { StoreOptions.Sqlite, StoreOptions.Postgres };
        var clients = Option(args, "--clients") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 64;
        var perExecution = Option(args, "--events-per-execution") is { } e ? int.Parse(e, CultureInfo.InvariantCulture) : DefaultEventsPerExecution;
        if (perExecution < 16)
        {
            Console.Error.WriteLine("--events-per-execution must be at least 16 (one 16-event append).");
            return 2;
        }

        var warmup = TimeSpan.FromSeconds(quick ? 1 : 3);
        var window = TimeSpan.FromSeconds(quick ? 3 : 10);

        var directory = Directory.CreateTempSubdirectory("ledger-bench-api-");
        await using var postgres = engines.Contains(StoreOptions.Postgres) ? await PostgresServer.StartAsync() : null;
        try
        {
            Console.WriteLine($"# API benchmark ({(quick ? "quick" : "full")} run)");
            Console.WriteLine();
            Console.WriteLine($"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            Console.WriteLine($"- {clients} closed-loop clients, each on its own executions ({perExecution} events each: 5 lifecycle events, then runtime verifications), exact expected versions, unsigned events of the dev emitter");
            Console.WriteLine($"- each rate: {window.TotalSeconds:0.#} s measured after {warmup.TotalSeconds:0.#} s of warm-up, on a fresh database; the store run comes first, then the API run, in the same process");
            Console.WriteLine("- API: the real host (Kestrel, http://127.0.0.1, background jobs on); store: plain IEventStore.AppendAsync of the same statements (the store parses them and folds the execution record; no decider)");
            Console.WriteLine("- CPU/append: this process's CPU time in the window (server and clients) per append");
            Console.WriteLine($"- load average at start: {LoadAverage()}");
            Console.WriteLine();
            Console.WriteLine("| engine | events/append | API appends/s | API events/s | API p50 | API p99 | API CPU/append | store events/s | store p50 | store p99 | store CPU/append | API ÷ store |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            var run = 0;
            foreach (var engine in engines)
            {
                foreach (var events in EventsPerAppend)
                {
                    var shape = new Shape(clients, events, perExecution);
                    var store = await StoreLoadAsync(engine, await NewDatabaseAsync(engine, directory.FullName, postgres), $"s{++run}", shape, warmup, window);
                    var api = await ApiLoadAsync(engine, await NewDatabaseAsync(engine, directory.FullName, postgres), directory.FullName, $"a{++run}", shape, warmup, window, measureFloor: false);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {engine} | {events} | {api.AppendsPerSecond:N0} | {api.EventsPerSecond:N0} | {Ms(api.P50Milliseconds)} | {Ms(api.P99Milliseconds)} | {Ms(api.CpuMicrosecondsPerEvent * events / 1000)} | {store.EventsPerSecond:N0} | {Ms(store.P50Milliseconds)} | {Ms(store.P99Milliseconds)} | {Ms(store.CpuMicrosecondsPerEvent * events / 1000)} | {api.EventsPerSecond / store.EventsPerSecond:0.00} |"));
                }
            }

            Console.WriteLine();
            Console.WriteLine($"- load average at end: {LoadAverage()}");
            await ApiLoadAsync(engines[0], await NewDatabaseAsync(engines[0], directory.FullName, postgres), directory.FullName, $"f{++run}",
                new Shape(clients, 1, perExecution), warmup, window, measureFloor: true);
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static async Task<LoadResult> StoreLoadAsync(
        string engine, string connectionString, string run, Shape shape, TimeSpan warmup, TimeSpan window)
    {
        await using var store = await EventStoreFactory.OpenAsync(new StoreOptions { Engine = engine, ConnectionString = connectionString, Origin = Origin });
        return await RunLoadAsync(shape.Clients, shape.EventsPerAppend, warmup, window, client =>
        {
            var cursor = new ClientCursor(run, client, shape.EventsPerAppend, shape.EventsPerExecution);
            return async () =>
            {
                var request = new AppendRequest(cursor.Stream, cursor.Version, Microseconds(DateTimeOffset.UtcNow), StoreEvents(cursor));
                var result = await store.AppendAsync(request).ConfigureAwait(false);
                if (result is not AppendResult.Appended)
                {
                    throw new InvalidOperationException($"Store append to {cursor.Stream} at version {cursor.Version}: {result}");
                }

                cursor.Advance();
            };
        });
    }

    private static async Task<LoadResult> ApiLoadAsync(
        string engine, string connectionString, string root, string run, Shape shape, TimeSpan warmup, TimeSpan window, bool measureFloor)
    {
        await using var host = BenchHost.Start(engine, connectionString, Path.Combine(root, run), Origin, shape.Clients);
        var http = host.Http;
        if (measureFloor)
        {
            // The HTTP floor on this machine: the same clients and host, a request that does no ledger work.
            var floor = await RunLoadAsync(shape.Clients, 1, warmup, window, _ => async () =>
            {
                using var response = await http.GetAsync("healthz").ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- HTTP floor (GET /healthz, same host and clients): {floor.AppendsPerSecond:N0} requests/s, p50 {Ms(floor.P50Milliseconds)}, p99 {Ms(floor.P99Milliseconds)}, {Us(floor.CpuMicrosecondsPerEvent)} CPU/request"));
            return floor;
        }

        return await RunLoadAsync(shape.Clients, shape.EventsPerAppend, warmup, window, client =>
        {
            var cursor = new ClientCursor(run, client, shape.EventsPerAppend, shape.EventsPerExecution);
            return async () =>
            {
                using var content = new ByteArrayContent(HttpBody(cursor));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync($"v1/streams/{cursor.Stream}/events", content).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    throw new InvalidOperationException($"HTTP append to {cursor.Stream} at version {cursor.Version}: {(int)response.StatusCode} {body}");
                }

                cursor.Advance();
            };
        });
    }

    private sealed record Shape(int Clients, int EventsPerAppend, int EventsPerExecution);

    private static async Task<string> NewDatabaseAsync(string engine, string directory, PostgresServer? postgres) =>
        engine == StoreOptions.Postgres
            ? await postgres!.CreateDatabaseAsync("bench_api")
            : "Data Source=" + Path.Combine(directory, Guid.NewGuid().ToString("N") + ".db");

    private static DateTimeOffset Microseconds(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % 10), TimeSpan.Zero);

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Us(double value) => value.ToString("N0", CultureInfo.InvariantCulture) + " µs";

    private static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";
}
