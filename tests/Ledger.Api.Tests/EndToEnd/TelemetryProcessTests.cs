using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests.EndToEnd;

/// <summary>
/// GET /metrics, GET /healthz/ready and the decision logs of the real process report what the ledger did and what its
/// store holds (docs/OPERATIONS.md, "Telemetry"). One process each: meters are process-wide, so in-process hosts of
/// other tests would add to the counts.
/// </summary>
public sealed class TelemetryProcessTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ledger-telemetry-").FullName;

    private string DataDir => Path.Combine(_root, "data");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in the temporary directory.
        }
    }

    [Fact]
    public async Task Refusals_sweep_ends_and_cascade_ends_are_counted_by_reason_logged_with_their_positions_and_the_gauges_match_the_store()
    {
        await using var ledger = await LedgerProcess.StartAsync(
            DataDir, _root, "--Ledger:CheckpointInterval", "00:00:01", "--Ledger:SweepInterval", "00:00:01", "--Ledger:Telemetry:SampleInterval", "00:00:00.200");
        using var http = new HttpClient { BaseAddress = ledger.Address, Timeout = TimeSpan.FromSeconds(60) };
        var dev = await DevTokenAsync();
        var admin = ledger.AdminToken ?? throw new InvalidOperationException(ledger.Output);
        var now = DateTimeOffset.UtcNow;

        // A running parent with an open child, and a child that asks for more than the parent holds: refused.
        var parent = new Story("tm-parent", now, scope: ["invoices:read"]);
        await AppendAsync(http, dev, parent.Stream, Story.Body(0, parent.UpToStart()), HttpStatusCode.Created);
        var child = new Story("tm-child", now, scope: ["invoices:read"], parent: ("ledger.local/log", parent.Id), expiresAt: parent.ExpiresAt);
        await AppendAsync(http, dev, child.Stream, Story.Body(0, child.Intent()), HttpStatusCode.Created);
        var widening = new Story("tm-widening", now, scope: ["invoices:read", "invoices:delete"], parent: ("ledger.local/log", parent.Id), expiresAt: parent.ExpiresAt);
        await AppendAsync(http, dev, widening.Stream, Story.Body(0, widening.Intent(), widening.Governance()), HttpStatusCode.Created);
        var refusal = await AppendAsync(http, dev, widening.Stream, Story.Body(2, widening.Authorization()), HttpStatusCode.UnprocessableEntity);
        var refusalPosition = refusal.GetProperty("position").GetInt64();

        // The emitter halts the parent: the cascade ends the open child (parent-halted).
        await AppendAsync(http, dev, parent.Stream, Story.Body(5, parent.Halted()), HttpStatusCode.Created);

        // An intent that never starts, then a one-second intentTtl: the sweep denies it (intent-expired).
        var idle = new Story("tm-idle", now);
        await AppendAsync(http, dev, idle.Stream, Story.Body(0, idle.Intent()), HttpStatusCode.Created);
        using (var parameters = new HttpRequestMessage(HttpMethod.Put, "/v1/admin/parameters"))
        {
            parameters.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            parameters.Content = new StringContent(
                new JsonObject { ["maxPolicyAge"] = "PT24H", ["maxAuthorizationTtl"] = "PT24H", ["maxVerificationInterval"] = "PT5M", ["intentTtl"] = "PT1S" }.ToJsonString(),
                Encoding.UTF8, "application/json");
            using var configured = await http.SendAsync(parameters);
            configured.StatusCode.ShouldBe(HttpStatusCode.OK, await configured.Content.ReadAsStringAsync());
        }

        var metrics = await WaitForMetricsAsync(http, m =>
            Value(m, "ledger_sweep_ends_total", "reason=\"intent-expired\"") >= 1 && Value(m, "ledger_cascade_ends_total", "reason=\"parent-halted\"") >= 1);
        Value(metrics, "ledger_refusals_total", "reason=\"authorization-scope-exceeded\"").ShouldBe(1, metrics);
        Value(metrics, "ledger_refusals_total", "reason=\"measurement-drift\"").ShouldBe(0, metrics);
        Value(metrics, "ledger_appends_total", "outcome=\"refused\"").ShouldBe(1, metrics);
        Value(metrics, "ledger_appends_total", "outcome=\"created\"").ShouldBe(5, metrics);
        Value(metrics, "ledger_cascade_ends_total", "reason=\"parent-halted\"").ShouldBe(1, metrics);
        Value(metrics, "ledger_sweep_ends_total", "reason=\"intent-expired\"").ShouldBe(1, metrics);
        Value(metrics, "ledger_store_commit_duration_seconds_count", "engine=\"sqlite\"").ShouldBeGreaterThan(0, metrics);
        Value(metrics, "ledger_job_ticks_total", "job=\"sweep\"").ShouldBeGreaterThan(0, metrics);

        // Every ledger decision to deny or halt is one structured line with the execution, the reason and the position.
        var output = ledger.Output;
        output.ShouldContain($"Refused a submission: {widening.Id} execution.denied.v1 with authorization-scope-exceeded at position {refusalPosition}");
        output.ShouldContain($"Cascade: {child.Id} execution.denied.v1 with parent-halted at position");
        output.ShouldContain($"Silence sweep: {idle.Id} execution.denied.v1 with intent-expired at position");
        await VerifyLoggedPositionAsync(http, output, $"Cascade: {child.Id} execution.denied.v1 with parent-halted at position ", child.Stream);
        await VerifyLoggedPositionAsync(http, output, $"Silence sweep: {idle.Id} execution.denied.v1 with intent-expired at position ", idle.Stream);

        // The gauges and readiness say what the store holds once the checkpoint covers the log.
        var (ready, settled) = await WaitForCoveredAsync(http);
        Value(settled, "ledger_log_size", "").ShouldBe(ready.GetProperty("treeSize").GetInt64(), settled);
        Value(settled, "ledger_checkpoint_size", "").ShouldBe(ready.GetProperty("checkpointSize").GetInt64(), settled);
        Value(settled, "ledger_checkpoint_behind", "").ShouldBe(0, settled);
        Value(settled, "ledger_checkpoint_age_seconds", "").ShouldBeLessThan(60, settled);
        ready.GetProperty("status").GetString().ShouldBe("ready");
        ready.GetProperty("problems").GetArrayLength().ShouldBe(0);
        await ExportVerifiesAsync(http);
    }

    [Fact]
    public async Task Readiness_fails_while_read_models_lag_and_reports_the_lag_the_metrics_show()
    {
        await using var ledger = await LedgerProcess.StartAsync(
            DataDir, _root, "--Ledger:Projections:Run", "false", "--Ledger:Health:MaxProjectionLag", "2", "--Ledger:Telemetry:SampleInterval", "00:00:00.200",
            "--Ledger:CheckpointInterval", "00:00:01");
        using var http = new HttpClient { BaseAddress = ledger.Address, Timeout = TimeSpan.FromSeconds(60) };

        using var response = await http.GetAsync("/healthz/ready");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, body.ToString());
        body.GetProperty("status").GetString().ShouldBe("not-ready");
        var treeSize = body.GetProperty("treeSize").GetInt64();
        var executions = body.GetProperty("projections").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "executions");
        executions.GetProperty("lag").GetInt64().ShouldBe(treeSize);
        body.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).ShouldContain($"the executions read model is {treeSize} entries behind the log (at most 2)");
        var metrics = await WaitForMetricsAsync(http, m => Value(m, "ledger_projection_lag", "projection=\"executions\"") == treeSize);
        Value(metrics, "ledger_log_size", "").ShouldBe(treeSize);
        await ExportVerifiesAsync(http);
    }

    [Fact]
    public async Task Readiness_fails_while_an_entry_waits_longer_than_allowed_for_a_checkpoint_and_recovers_when_one_is_signed()
    {
        await using var ledger = await LedgerProcess.StartAsync(
            DataDir, _root, "--Ledger:CheckpointInterval", "01:00:00", "--Ledger:Health:MaxCheckpointDelay", "00:00:01");
        using var http = new HttpClient { BaseAddress = ledger.Address, Timeout = TimeSpan.FromSeconds(60) };
        var admin = ledger.AdminToken ?? throw new InvalidOperationException(ledger.Output);
        await SignAsync(http, admin); // the genesis is covered
        var story = new Story("tm-delay", DateTimeOffset.UtcNow);
        await AppendAsync(http, await DevTokenAsync(), story.Stream, Story.Body(0, story.Intent()), HttpStatusCode.Created);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        using (var waiting = await http.GetAsync("/healthz/ready"))
        {
            var body = JsonDocument.Parse(await waiting.Content.ReadAsStringAsync()).RootElement;
            waiting.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, body.ToString());
            body.GetProperty("uncoveredForSeconds").GetDouble().ShouldBeGreaterThan(1);
            body.GetProperty("problems")[0].GetString()!.ShouldStartWith($"entries from position {body.GetProperty("checkpointSize").GetInt64()} have waited");
        }

        await SignAsync(http, admin);
        using (var covered = await http.GetAsync("/healthz/ready"))
        {
            covered.StatusCode.ShouldBe(HttpStatusCode.OK, await covered.Content.ReadAsStringAsync());
        }

        await ExportVerifiesAsync(http);
    }

    private static async Task SignAsync(HttpClient http, string admin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/checkpoint");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using var signed = await http.SendAsync(request);
        signed.StatusCode.ShouldBe(HttpStatusCode.OK, await signed.Content.ReadAsStringAsync());
    }

    private async Task<string> DevTokenAsync()
    {
        using var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DataDir, "dev-credentials.json")));
        return credentials.RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<JsonElement> AppendAsync(HttpClient http, string token, string stream, JsonObject body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/streams/{stream}/events")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The position a decision log line names is the stream's last entry, a denial or halt by the ledger.</summary>
    private static async Task VerifyLoggedPositionAsync(HttpClient http, string output, string prefix, string stream)
    {
        var line = output.Split('\n').Single(l => l.Contains(prefix, StringComparison.Ordinal));
        var position = long.Parse(line[(line.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length)..].Split(' ', '\r')[0], CultureInfo.InvariantCulture);
        var read = JsonDocument.Parse(await http.GetStringAsync($"/v1/streams/{stream}/events")).RootElement;
        var last = read.GetProperty("entries").EnumerateArray().Last();
        last.GetProperty("position").GetInt64().ShouldBe(position);
        last.GetProperty("emitter").GetString().ShouldBe("$ledger");
    }

    private static async Task<string> WaitForMetricsAsync(HttpClient http, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var metrics = await http.GetStringAsync("/metrics");
            if (done(metrics))
            {
                return metrics;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, metrics);
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until the latest checkpoint covers the log and a sample of the gauges was taken after that.</summary>
    private static async Task<(JsonElement Ready, string Metrics)> WaitForCoveredAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await http.GetAsync("/healthz/ready");
            var ready = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            var treeSize = ready.GetProperty("treeSize").GetInt64();
            if (ready.TryGetProperty("checkpointSize", out var size) && size.ValueKind == JsonValueKind.Number && size.GetInt64() == treeSize)
            {
                await Task.Delay(500); // two sampling intervals
                var metrics = await http.GetStringAsync("/metrics");
                if (Value(metrics, "ledger_log_size", "") == treeSize)
                {
                    return (ready, metrics);
                }
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, ready.ToString());
            await Task.Delay(250);
        }
    }

    private static async Task ExportVerifiesAsync(HttpClient http)
    {
        var vkey = (await http.GetStringAsync("/v1/log/key")).Trim();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var bundle = Path.GetTempFileName();
        try
        {
            while (true)
            {
                using var ready = await http.GetAsync("/healthz/ready");
                var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
                if (body.GetProperty("checkpointSize").ValueKind == JsonValueKind.Number
                    && body.GetProperty("checkpointSize").GetInt64() == body.GetProperty("treeSize").GetInt64())
                {
                    break;
                }

                DateTime.UtcNow.ShouldBeLessThan(deadline, body.ToString());
                await Task.Delay(250);
            }

            await File.WriteAllBytesAsync(bundle, await http.GetByteArrayAsync("/v1/export"));
            using var report = new StringWriter();
            Ledger.Verifier.Program.Run([bundle, "--trust", vkey], report, report).ShouldBe(0, report.ToString());
        }
        finally
        {
            File.Delete(bundle);
        }
    }

    /// <summary>The value of the sample <paramref name="name"/> whose labels contain <paramref name="label"/> (0 when absent).</summary>
    private static double Value(string metrics, string name, string label)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (!line.StartsWith(name + "{", StringComparison.Ordinal) && !line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                continue;
            }

            var close = line.IndexOf('}', StringComparison.Ordinal);
            var labels = close < 0 ? "" : line[..close];
            if (labels.Contains(label, StringComparison.Ordinal))
            {
                return double.Parse(line[(close + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
