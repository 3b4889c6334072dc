using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.EndToEnd;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Log;

namespace Ledger.Api.Tests.Deployment;

/// <summary>
/// The scripts of infra/postgres that run without Docker, exercised as an operator would: set-up of the ledger's
/// database on a primary with a synchronous standby, two ledger nodes on it, a crash of the primary and failover by
/// promoting the standby. Every append a node acknowledged is on the promoted server at its position, and the log
/// with every checkpoint signed before and after the failover verifies offline (no inconsistent checkpoint).
/// </summary>
public sealed class HighAvailabilityTests : IAsyncLifetime
{
    private const string Password = "ledger-test-password";
    private readonly string _root = Directory.CreateTempSubdirectory("ledger-ha-").FullName;
    private readonly string _work = Path.Combine("/tmp", "ledger-ha-pg-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly int _primaryPort = LedgerProcess.FreePort();
    private readonly int _standbyPort = LedgerProcess.FreePort();

    private string DataDir => Path.Combine(_root, "data");

    private static string Script(string name) =>
        Path.GetFullPath(Path.Combine(
            typeof(HighAvailabilityTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!,
            "infra", "postgres", name));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await RunAsync(Script("ha-sync-standby.sh"), "down", _work);
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task After_promoting_the_synchronous_standby_no_acknowledged_append_is_lost_and_every_checkpoint_is_consistent()
    {
        var (up, upOutput) = await RunAsync(Script("ha-sync-standby.sh"), "up", _work, P(_primaryPort), P(_standbyPort));
        up.ShouldBe(0, upOutput);
        upOutput.ShouldContain("database 'ledger' and role 'ledger' are ready");
        var (again, againOutput) = await RunAsync(Script("setup.sh"), environment: new() { ["PGHOST"] = "127.0.0.1", ["PGPORT"] = P(_primaryPort) });
        again.ShouldBe(0, "setup.sh is idempotent: " + againOutput);

        // Two nodes of one ledger on the primary (one data directory: one ledger key), appending through both.
        var acknowledged = new List<(long Position, string EventId)>();
        string vkey;
        await using (var first = await LedgerProcess.StartOnPostgresAsync(DataDir, _root, Connection(_primaryPort), "--Ledger:CheckpointInterval", "00:00:00.500"))
        await using (var second = await LedgerProcess.StartOnPostgresAsync(DataDir, _root, Connection(_primaryPort), "--Ledger:CheckpointInterval", "00:00:00.500"))
        {
            var dev = await DevTokenAsync();
            using var a = new HttpClient { BaseAddress = first.Address, Timeout = TimeSpan.FromSeconds(60) };
            using var b = new HttpClient { BaseAddress = second.Address, Timeout = TimeSpan.FromSeconds(60) };
            vkey = (await a.GetStringAsync("/v1/log/key")).Trim();
            for (var i = 0; i < 6; i++)
            {
                var story = new Story("ha-" + i.ToString(CultureInfo.InvariantCulture), DateTimeOffset.UtcNow);
                var created = await AppendAsync(i % 2 == 0 ? a : b, dev, story.Stream, Story.Body(0, story.Intent(), story.Governance()));
                var positions = created.GetProperty("positions").EnumerateArray().Select(p => p.GetInt64()).ToList();
                acknowledged.Add((positions[0], story.Id + "-intent"));
                acknowledged.Add((positions[1], story.Id + "-governance"));
            }

            await WaitCoveredAsync(a);

            // The primary dies without a shutdown checkpoint, the ledger nodes with it.
            var (crash, crashOutput) = await RunAsync(Script("ha-sync-standby.sh"), "crash-primary", _work);
            crash.ShouldBe(0, crashOutput);
            await first.KillAsync();
            await second.KillAsync();
        }

        var (promote, promoteOutput) = await RunAsync(Script("ha-sync-standby.sh"), "promote", _work);
        promote.ShouldBe(0, promoteOutput);

        await using var survivor = await LedgerProcess.StartOnPostgresAsync(DataDir, _root, Connection(_standbyPort), "--Ledger:CheckpointInterval", "00:00:00.500");
        using var http = new HttpClient { BaseAddress = survivor.Address, Timeout = TimeSpan.FromSeconds(60) };
        survivor.AdminToken.ShouldBeNull("the promoted server holds the ledger: no new genesis");
        var lines = (await http.GetStringAsync("/v1/log/entries?start=0&limit=1000")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var (position, eventId) in acknowledged)
        {
            LedgerEntry.Parse(Encoding.UTF8.GetBytes(lines[position])).EventId.ShouldBe(eventId, $"position {position}");
        }

        // The ledger goes on on the promoted server: new appends, new checkpoints, all consistent with the old ones.
        var after = new Story("ha-after", DateTimeOffset.UtcNow);
        await AppendAsync(http, await DevTokenAsync(), after.Stream, Story.Body(0, after.Intent()));
        await WaitCoveredAsync(http);
        var bundle = Path.Combine(_root, "bundle.ndjson");
        await File.WriteAllBytesAsync(bundle, await http.GetByteArrayAsync("/v1/export"));
        using var report = new StringWriter();
        Ledger.Verifier.Program.Run([bundle, "--trust", vkey], report, report).ShouldBe(0, report.ToString());
    }

    private static string P(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string Connection(int port) =>
        $"Host=127.0.0.1;Port={P(port)};Database=ledger;Username=ledger;Password={Password};Pooling=true";

    private async Task<string> DevTokenAsync()
    {
        using var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DataDir, "dev-credentials.json")));
        return credentials.RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<JsonElement> AppendAsync(HttpClient http, string token, string stream, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/streams/{stream}/events")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task WaitCoveredAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var ready = await http.GetAsync("/healthz/ready");
            var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
            if (body.GetProperty("checkpointSize").ValueKind == JsonValueKind.Number
                && body.GetProperty("checkpointSize").GetInt64() == body.GetProperty("treeSize").GetInt64())
            {
                return;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, body.ToString());
            await Task.Delay(250);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] arguments) => await RunAsync(script, null, arguments);

    private static async Task<(int ExitCode, string Output)> RunAsync(string script, Dictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LEDGER_PASSWORD"] = Password;
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
