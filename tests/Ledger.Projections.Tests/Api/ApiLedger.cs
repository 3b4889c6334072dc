using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ledger.Api.Hosting;
using Ledger.Application.Hosting;
using Ledger.Domain.Executions;
using Ledger.Projections.Engine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Projections.Tests.Api;

/// <summary>
/// The whole API in process on SQLite with a story told through HTTP: a root execution in one cloud with a
/// child in another, the root halted by its emitter (the ledger cascades to the child), a checkpoint and the
/// proof job; one lone running execution. Shared by the tests of <see cref="ReadModelApiTests"/>.
/// </summary>
public sealed class ApiLedger : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Aws = "aws.us-east-1";
    public const string Gcp = "gcp.europe-west1";
    private static readonly string[] Resources = ["s3://bucket/app"];
    private static readonly string[] Requested = ["read", "write"];
    private static readonly string[] Granted = ["read"];
    private readonly string _dataDir = Directory.CreateTempSubdirectory("ledger-projections-api-").FullName;

    public HttpClient Anonymous { get; private set; } = null!;

    public HttpClient Dev { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public ProjectionEngine Engine => Services.GetRequiredService<ProjectionEngine>();

    public LedgerNode Node => Services.GetRequiredService<LedgerNode>();

    /// <summary>How many proofs the proof job appended for the story.</summary>
    public int Proofs { get; private set; }

    public async Task InitializeAsync()
    {
        Anonymous = CreateClient();
        var first = Services.GetRequiredService<GenesisService>().FirstStart!;
        Dev = Client(first.DevToken);
        Admin = Client(first.AdminToken);
        var now = DateTimeOffset.UtcNow;
        await RunningAsync("api-root", Aws, [Aws, Gcp], null, now);
        await RunningAsync("api-child", Gcp, [Gcp], new { ledger = Node.Origin, executionId = "api-root" }, now);
        await AppendAsync("api-root", "execution.halted.v1", Aws, new { reason = "emitter-reported", detail = "operator stop" });
        await RunningAsync("api-lone", Gcp, [Gcp], null, now);
        (await Admin.PostAsync("/v1/admin/checkpoint", null)).EnsureSuccessStatusCode();
        await CaughtUpAsync();
        await Services.GetRequiredService<Ledger.Application.Jobs.CascadeJob>().RunOnceAsync(CancellationToken.None);
        (await Admin.PostAsync("/v1/admin/checkpoint", null)).EnsureSuccessStatusCode();
        Proofs = await Services.GetRequiredService<Ledger.Application.Jobs.ProofJob>().RunOnceAsync(CancellationToken.None);
        (await Admin.PostAsync("/v1/admin/checkpoint", null)).EnsureSuccessStatusCode();
        await CaughtUpAsync();
    }

    /// <summary>Waits until every projection has caught up with the log.</summary>
    public async Task CaughtUpAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var size = await Node.Store.GetTreeSizeAsync();
            var statuses = await Engine.GetStatusAsync();
            var checkpoint = await Node.Store.GetLatestCheckpointAsync();
            var checkpoints = await Engine.ReadModels.ListCheckpointsAsync(1);
            if (statuses.All(s => s.Position == size && s.Rebuild is null) && (checkpoint is null || checkpoints.Count > 0 && checkpoints[0].Size == checkpoint.Size))
            {
                return;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, "the projections did not catch up");
            await Task.Delay(25);
        }
    }

    public async Task AppendAsync(string id, string type, string domain, object data, object? metadata = null)
    {
        var response = await Dev.PostAsJsonAsync(
            $"/v1/streams/{ExecutionId.StreamPrefix}{id}/events",
            new { expectedVersion = -1, events = new[] { new { eventId = $"{id}-{Guid.NewGuid():N}", type, domain, data, metadata } } });
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(201, body);
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary directory is left behind.
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Ledger:DataDir", _dataDir);
        builder.UseSetting("Ledger:Engine", "sqlite");
        builder.UseSetting("Ledger:SweepInterval", "01:00:00");
        builder.UseSetting("Ledger:CheckpointInterval", "01:00:00");
        builder.UseSetting("Ledger:Projections:PollInterval", "00:00:00.050");
        builder.UseSetting("Ledger:ProofInterval", "01:00:00");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    private HttpClient Client(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task RunningAsync(string id, string domain, string[] targets, object? parent, DateTimeOffset now)
    {
        var actor = $"spiffe://{domain}/ns/jobs/sa/runner";
        var policy = "sha256:" + new string('a', 64);
        var measurement = "sha256:" + new string('b', 64);
        await AppendAsync(id, "execution.intent-declared.v1", domain,
            new { executionId = id, actor, action = "deploy", resources = Resources, requestedScope = Requested, targetDomains = targets, parent },
            new { cloud = domain.Split('.')[0] });
        await AppendAsync(id, "execution.governance-synchronized.v1", domain,
            new { policyId = "policy-1", policyDigest = policy, syncedDomains = targets.Select(d => new { domain = d, policyDigest = policy, syncedAt = Time(now.AddSeconds(-10)) }) });
        await AppendAsync(id, "execution.authorization-issued.v1", domain,
            new { authorizationId = "authz-" + id, issuer = domain, grantedScope = Granted, notBefore = Time(now.AddMinutes(-1)), expiresAt = Time(now.AddMinutes(50)), artifactDigest = "sha256:" + new string('c', 64) });
        await AppendAsync(id, "execution.runtime-trust-established.v1", domain,
            new { workload = actor, attestationType = "tpm", measurement, verifier = "attestor", verdict = "trusted" });
        await AppendAsync(id, "execution.started.v1", domain, new { runtimeNode = "node-1" });
        await AppendAsync(id, "execution.runtime-verified.v1", domain, new { measurement, verdict = "ok" });
    }

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads a JSON body.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, int status = 200)
    {
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
