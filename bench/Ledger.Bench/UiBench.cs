using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Ledger.Api.Hosting;
using Ledger.Application.Hosting;
using Ledger.Projections.Engine;
using Ledger.Projections.Reading;
using Ledger.Projections.Tests.Workload;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Bench;

/// <summary>
/// Compliance UI suite (<c>ui</c>): the real API host (Kestrel on loopback, SQLite) holding the projection suite's
/// generated workload (237,632 entries for 200,000 events) and a 1,000-execution lineage tree, projections caught up;
/// then every UI page is requested over HTTP with a viewer's cookie, one request at a time, and its latency p50/p99
/// reported against the 200 ms budget and against <c>GET /healthz</c> on the same connection (the floor of an HTTP
/// round trip through the same host). Options: <c>--quick</c> (40,000 events), <c>--events N</c>.
/// </summary>
internal static class UiBench
{
    private const double BudgetMs = 200;

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = Measure.IsQuick(args);
        var events = Array.IndexOf(args, "--events") is var at and >= 0 && at + 1 < args.Length
            ? int.Parse(args[at + 1], CultureInfo.InvariantCulture)
            : quick ? 40_000 : 200_000;
        var iterations = quick ? 20 : 60;
        var dataDir = Directory.CreateTempSubdirectory("ledger-bench-ui-");
        var clock = new ShiftedClock();
        var port = FreePort();
        var factory = new WebApplicationFactory<global::Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
            b.UseSetting("Ledger:DataDir", dataDir.FullName);
            b.UseSetting("Ledger:Engine", "sqlite");
            b.UseSetting("Ledger:Origin", Workload.Origin);
            b.UseSetting("Logging:LogLevel:Default", "Error");
            foreach (var job in (ReadOnlySpan<string>)["SweepInterval", "CascadeInterval", "ProofInterval", "CheckpointInterval", "WitnessInterval"])
            {
                b.UseSetting("Ledger:" + job, "01:00:00");
            }

            b.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Error));
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock));
        });
        try
        {
            factory.UseKestrel();
            factory.StartServer();
            var node = factory.Services.GetRequiredService<LedgerNode>();
            var admin = factory.Services.GetRequiredService<GenesisService>().FirstStart!.AdminToken;
            Console.WriteLine($"# Compliance UI benchmark ({(quick ? "quick" : "full")} run)");
            Console.WriteLine();
            Console.WriteLine($"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            Console.WriteLine("- load average at start: " + LoadAverage());

            var fill = Stopwatch.StartNew();
            var workload = new Workload(node.Store, seed: 7, start: clock.GetUtcNow().AddSeconds(1));
            const int Chunk = 25_000;
            for (var appended = 0; appended < events; appended += Chunk)
            {
                await workload.AppendAsync(Math.Min(Chunk, events - appended));
                await workload.CheckpointAndProveAsync(node.Signer);
            }

            await ProjectionBench.AppendTreeAsync(node.Store, 1000);
            var size = await node.Store.GetTreeSizeAsync();
            var root = await node.Store.GetRootAsync(size);
            await node.Store.StoreCheckpointAsync(size, root, new Ledger.Domain.Notes.Checkpoint(node.Store.Origin, size, root).Sign(node.Signer).Format());
            clock.MoveTo(workload.Now.AddMinutes(1));
            var engine = factory.Services.GetRequiredService<ProjectionEngine>();
            while ((await engine.GetStatusAsync()).Any(s => s.Lag > 0))
            {
                await Task.Delay(200);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- log: {size:N0} entries (workload of {events:N0} events, seed 7, plus a 1,000-execution tree); appended and projected in {fill.Elapsed.TotalSeconds:0} s"));

            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
            {
                BaseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")),
            };
            var viewer = await MintViewerAsync(http, admin);
            http.DefaultRequestHeaders.Add("Cookie", "ledger-ui=" + viewer);

            var read = engine.ReadModels;
            var page = await read.ListExecutionsAsync(new ExecutionQuery { Limit = 500 });
            var halted = await read.ListExecutionsAsync(new ExecutionQuery { Status = "halted", Cloud = "azure", Limit = 1 });
            var someone = page.Items[250];
            var detail = (await read.GetExecutionAsync(someone.ExecutionId))!;
            (string Name, string Path)[] pages =
            [
                ("dashboard (all, week)", "ui"),
                ("dashboard (azure, month)", "ui?cloud=azure&window=month"),
                ("dashboard (domain, day)", "ui?domain=aws.eu-west-1&window=day"),
                ("executions (first page)", "ui/executions"),
                ("executions (azure halted this week)", "ui/executions?cloud=azure&status=halted&endedSince=" + Uri.EscapeDataString(Rfc3339(clock.GetUtcNow().AddDays(-7)))),
                ("executions (page 11 by cursor)", "ui/executions?cursor=" + page.Items[^1].FirstPosition.ToString(CultureInfo.InvariantCulture)),
                ("execution", "ui/executions/" + (halted.Items.Count > 0 ? halted.Items[0] : someone).ExecutionId),
                ("receipt download", "ui/receipts/" + detail.Events[0].Position.ToString(CultureInfo.InvariantCulture)),
                ("lineage trees", "ui/lineage"),
                ("lineage (workload tree)", "ui/lineage/" + someone.ExecutionId),
                ("lineage (1,000 nodes, default view)", "ui/lineage/tree1000-0"),
                ("lineage (1,000 nodes, all open)", "ui/lineage/tree1000-0?collapsed=-"),
                ("lineage (1,000 nodes, search)", "ui/lineage/tree1000-0?q=tree1000-999"),
                ("log", "ui/log"),
                ("emitters", "ui/emitters"),
                ("peers", "ui/peers"),
            ];

            var floor = await LatencyAsync(http, "healthz", iterations * 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- floor: GET /healthz p50 {floor.P50:0.00} ms, p99 {floor.P99:0.00} ms ({iterations * 2} requests, one at a time)"));
            Console.WriteLine();
            Console.WriteLine("| page | bytes | p50 | p99 | p99 ÷ 200 ms budget | p50 ÷ /healthz p50 |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            var over = 0;
            foreach (var (name, path) in pages)
            {
                var (p50, p99, bytes) = await LatencyAsync(http, path, iterations);
                over += p99 > BudgetMs ? 1 : 0;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {bytes:N0} | {p50:0.00} ms | {p99:0.00} ms | {p99 / BudgetMs:0.00} | {p50 / floor.P50:0} |"));
            }

            Console.WriteLine();
            Console.WriteLine($"- pages over the budget at p99: {over} of {pages.Length}");
            Console.WriteLine("- load average at end: " + LoadAverage());
            return 0;
        }
        finally
        {
            await factory.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dataDir.Delete(recursive: true);
        }
    }

    private static async Task<(double P50, double P99, long Bytes)> LatencyAsync(HttpClient http, string path, int iterations)
    {
        long bytes = 0;
        for (var i = 0; i < 3; i++)
        {
            bytes = (await GetAsync(http, path)).Length;
        }

        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            await GetAsync(http, path);
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(samples);
        return (samples[(iterations - 1) / 2], samples[(int)Math.Ceiling(iterations * 0.99) - 1], bytes);
    }

    private static async Task<byte[]> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode == HttpStatusCode.OK
            ? body
            : throw new InvalidOperationException($"GET /{path} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)[..Math.Min(300, body.Length)]}");
    }

    private static async Task<string> MintViewerAsync(HttpClient http, string adminToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/admin/tokens") { Content = JsonContent.Create(new { subject = "bench-viewer", role = "viewer" }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
    }

    private static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The system clock moved to the end of the simulated workload, so "this week" is the workload's week.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        private long _offsetTicks;

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

        public void MoveTo(DateTimeOffset at) => Interlocked.Exchange(ref _offsetTicks, Math.Max(0, (at - System.GetUtcNow()).Ticks));
    }
}
