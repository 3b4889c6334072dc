using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.FailClosed;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Testing;

namespace Ledger.Api.Tests.EndToEnd;

/// <summary>
/// Two ledger processes, the parent's on SQLite and the child's on PostgreSQL (DESIGN §8.2): a child on the azure ledger
/// names a parent on the aws ledger, its configured peer, and is decided against the state the aws ledger's attestation
/// proves; every export verifies offline.
/// </summary>
[Collection(PostgresTestGroup.Name)]
public sealed partial class FederationProcessTests(PostgresFixture postgres) : IDisposable
{
    private const string Aws = "aws.example/ledger";
    private const string Azure = "azure.example/ledger";
    private readonly string _root = Directory.CreateTempSubdirectory("ledger-federation-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A process may still be closing its files.
        }
    }

    [Fact]
    public async Task A_remote_parent_is_decided_on_its_attested_state_and_a_silent_peer_fails_closed()
    {
        await using var aws = await StartAsync("aws", Aws, null);
        using var awsHttp = new HttpClient { BaseAddress = aws.Process.Address };
        var awsKey = (await awsHttp.GetStringAsync("/v1/log/key")).Trim();
        var database = await postgres.Server.CreateDatabaseAsync("federation");
        await using var azure = await StartAsync("azure", Azure, database,
            "--Ledger:Peers:0:Origin", Aws, "--Ledger:Peers:0:Key", awsKey, "--Ledger:Peers:0:Url", aws.Process.Address.ToString(),
            "--Ledger:Peers:0:HomeDomains:0", "aws.example");

        var now = DateTimeOffset.UtcNow;
        var parent = new Story("root-" + Guid.NewGuid().ToString("N")[..8], now, scope: ["invoices:read", "reports:write"]);
        await aws.Client.StartExecutionAsync(parent);

        // Accepted: the parent runs, the child's scope and expiry stay within the parent's.
        var child = new Story(parent.Id + "-child", now, domain: "azure.example", scope: ["invoices:read"], parent: (Aws, parent.Id), expiresAt: parent.ExpiresAt);
        await azure.Client.StartExecutionAsync(child);
        var stream = await StreamTypesAsync(azure, child.Stream);
        stream.ShouldBe([
            "federation.parent-attested.v1", "execution.intent-declared.v1", "execution.governance-synchronized.v1",
            "execution.authorization-issued.v1", "execution.runtime-trust-established.v1", "federation.parent-attested.v1", "execution.started.v1",
        ]);
        (await azure.Client.DecisionAsync(child.Id)).Allowed.ShouldBeTrue();

        // Attenuation across ledgers: a scope the parent does not hold, an expiry after the parent's.
        var wider = new Story(parent.Id + "-wider", now, domain: "azure.example", scope: ["invoices:read", "admin"], parent: (Aws, parent.Id), expiresAt: parent.ExpiresAt);
        (await RefusedAsync(azure, wider, wider.UpToStart())).ShouldBe("authorization-scope-exceeded");
        var longer = new Story(parent.Id + "-longer", now, domain: "azure.example", scope: ["invoices:read"], parent: (Aws, parent.Id), expiresAt: parent.ExpiresAt.AddHours(1));
        (await RefusedAsync(azure, longer, longer.UpToStart())).ShouldBe("authorization-scope-exceeded");

        // Not a peer, or no such execution on the peer: lineage-broken.
        var stranger = new Story(parent.Id + "-stranger", now, domain: "azure.example", parent: ("gcp.example/ledger", parent.Id));
        (await RefusedAsync(azure, stranger, stranger.Intent())).ShouldBe("lineage-broken");
        var orphan = new Story(parent.Id + "-orphan", now, domain: "azure.example", parent: (Aws, "no-such-execution"));
        (await RefusedAsync(azure, orphan, orphan.Intent())).ShouldBe("lineage-broken");

        // An emitter may not forge the ledger's record of an attestation.
        using (var forger = Ledger.Domain.Notes.NoteSigner.Create(Aws, Ledger.Domain.Crypto.SigningKey.GenerateEd25519()))
        {
            var forged = new Ledger.Domain.Executions.ParentAttested(
                Aws, Ledger.Domain.Executions.ExecutionId.Parse(parent.Id), Story.Digest("forged"),
                new Ledger.Domain.Notes.Checkpoint(Aws, 1, new byte[32]).Sign(forger).Format(), 1, 5, Ledger.Domain.Executions.ExecutionStatus.Running,
                ["invoices:read", "admin"], parent.ExpiresAt.AddDays(1), DateTimeOffset.UtcNow);
            var data = JsonNode.Parse(Ledger.Domain.Executions.ExecutionEventCodec.ToData(forged).GetRawText())!.AsObject();
            using var response = await azure.Client.AppendAsync("execution-forged-" + parent.Id, Story.Body(0, child.Event("forged", "federation.parent-attested.v1", data)));
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, await response.Content.ReadAsStringAsync());
        }

        // The parent ends on aws: a new child's intent is refused there and then.
        await aws.Client.AppendCreatedAsync(parent.Stream, Story.Body(5, parent.Halted()));
        var late = new Story(parent.Id + "-late", now, domain: "azure.example", scope: ["invoices:read"], parent: (Aws, parent.Id), expiresAt: parent.ExpiresAt);
        (await RefusedAsync(azure, late, late.Intent())).ShouldBe("lineage-broken");

        // The follow job ends the child (parent-halted) with the attestation of the halt recorded just before.
        var ended = await WaitForEndAsync(azure, child.Id);
        ended.Reason.ShouldBe("parent-halted");
        (await StreamTypesAsync(azure, child.Stream))[^2..].ShouldBe(["federation.parent-attested.v1", "execution.halted.v1"]);
        await azure.Client.ExportAndVerifyAsync();
        await aws.Client.ExportAndVerifyAsync();

        // The peer goes silent: a new child is refused there and then.
        await aws.Process.KillAsync();
        var silent = new Story(parent.Id + "-silent", now, domain: "azure.example", parent: ("aws.example/ledger", parent.Id + "-other"));
        (await RefusedAsync(azure, silent, silent.Intent())).ShouldBe("federation-sync-lost");
        await azure.Client.ExportAndVerifyAsync();
    }

    /// <summary>Polls the decision endpoint until the execution has ended (the follow job ticks every second here).</summary>
    internal static async Task<Decision> WaitForEndAsync(Node node, string executionId)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var decision = await node.Client.DecisionAsync(executionId);
            if (decision.Ended)
            {
                return decision;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Execution '{executionId}' did not end within a minute: {decision}\n{node.Process.Output}");
            }

            await Task.Delay(100);
        }
    }

    private Task<Node> StartAsync(string name, string origin, string? database, params string[] more) =>
        StartAsync(name, origin, database, LedgerProcess.FreePort(), null, more);

    /// <summary>Starts (or restarts, with the admin token of its first start) the ledger <paramref name="name"/> on <paramref name="port"/>.</summary>
    private async Task<Node> StartAsync(string name, string origin, string? database, int port, string? adminToken, params string[] more)
    {
        var dataDir = Path.Combine(_root, name);
        string[] arguments = ["--Ledger:Origin", origin, "--Ledger:CheckpointInterval", "00:00:01", "--Ledger:FollowInterval", "00:00:01", .. more];
        var process = database is null
            ? await LedgerProcess.StartAsync(dataDir, _root, port, arguments)
            : await LedgerProcess.StartAsync(dataDir, _root, port, ["--engine", "postgres", "--connection-string", database, .. arguments]);
        var admin = adminToken ?? process.AdminToken ?? throw new InvalidOperationException("No admin token:\n" + process.Output);
        using var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dataDir, "dev-credentials.json")));
        return new Node(process, new LedgerClient(process.Address, credentials.RootElement.GetProperty("token").GetString()!, admin), admin);
    }

    private static async Task<string> RefusedAsync(Node node, Story story, params JsonObject[] events)
    {
        using var response = await node.Client.AppendAsync(story.Stream, Story.Body(0, events));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("reason").GetString()!;
    }

    internal static async Task<List<string>> StreamTypesAsync(Node node, string stream)
    {
        using var http = new HttpClient { BaseAddress = node.Process.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", node.AdminToken);
        using var document = JsonDocument.Parse(await http.GetStringAsync($"/v1/streams/{stream}/events"));
        var events = document.RootElement.GetProperty("entries");
        return [.. events.EnumerateArray().Select(e => e.GetProperty("type").GetString()!)];
    }

    internal static async Task ConfigurePeerSilenceAsync(Node node, string maxPeerSilence)
    {
        using var http = new HttpClient { BaseAddress = node.Process.Address };
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/admin/parameters")
        {
            Content = new StringContent(
                $$"""{"maxPolicyAge":"PT24H","maxAuthorizationTtl":"PT24H","maxVerificationInterval":"PT5M","intentTtl":"PT1H","maxPeerSilence":"{{maxPeerSilence}}"}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", node.AdminToken);
        using var response = await http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    internal sealed record Node(LedgerProcess Process, LedgerClient Client, string AdminToken) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Process.DisposeAsync();
        }
    }
}
