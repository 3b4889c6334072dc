using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Ledger.Api.Tests.FailClosed;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Application.Hosting;
using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;

namespace Ledger.Api.Tests.EndToEnd;

// Children on other ledgers with real processes (docs/FEDERATION.md, "Children on other ledgers"): the parent's ledger
// learns of a child on its peer from the peer's listing and the child's verified attestation, and shows it as a link.
public sealed partial class FederationProcessTests
{
    [Fact]
    public async Task A_child_on_a_peer_shows_in_the_parents_lineage_as_a_link_with_its_attested_status_and_its_end()
    {
        // Each ledger is the other's peer: the child's key is made before either starts, so the parent's can name it.
        var azureDir = Path.Combine(_root, "azure");
        Directory.CreateDirectory(azureDir);
        string azureKey;
        using (var key = SigningKey.GenerateEd25519())
        using (var signer = NoteSigner.Create(Azure, key))
        {
            LedgerBootstrap.WriteSecret(Path.Combine(azureDir, LedgerBootstrap.KeyFileName), PrivateKeyText.Export(key, Azure));
            azureKey = signer.Verifier.VerifierKey;
        }

        var azurePort = LedgerProcess.FreePort();
        var azureUrl = $"http://127.0.0.1:{azurePort}/";
        await using var aws = await StartAsync("aws", Aws, null,
            "--Ledger:Peers:0:Origin", Azure, "--Ledger:Peers:0:Key", azureKey, "--Ledger:Peers:0:Url", azureUrl);
        using var awsHttp = Authorized(aws);
        var awsKey = (await awsHttp.GetStringAsync("/v1/log/key")).Trim();
        var database = await postgres.Server.CreateDatabaseAsync("links");
        await using var azure = await StartAsync("azure", Azure, database, azurePort, null,
            "--Ledger:Peers:0:Origin", Aws, "--Ledger:Peers:0:Key", awsKey, "--Ledger:Peers:0:Url", aws.Process.Address.ToString());
        using var azureHttp = Authorized(azure);
        (await azureHttp.GetStringAsync("/v1/log/key")).Trim().ShouldBe(azureKey, "the key written before the first start");

        var now = DateTimeOffset.UtcNow;
        var parent = new Story("root-" + Guid.NewGuid().ToString("N")[..8], now, scope: ["invoices:read", "reports:write"]);
        await aws.Client.StartExecutionAsync(parent);
        var child = new Story(parent.Id + "-child", now, domain: "azure.example", scope: ["invoices:read"], parent: (Aws, parent.Id), expiresAt: parent.ExpiresAt);
        await azure.Client.StartExecutionAsync(child);

        // The link job on aws (every second here) lists azure's children of aws's executions and verifies the child's attestation.
        var running = await WaitForLinkAsync(aws, awsHttp, parent.Id, child.Id, "running");
        running.GetProperty("ledger").GetString().ShouldBe(Azure);
        running.GetProperty("checkpointSize").GetInt64().ShouldBeGreaterThan(0);
        running.GetProperty("attestationDigest").GetString()!.ShouldStartWith("sha256:");

        // A child that lives and ends within one append on azure was never open when aws's link job asked: it is shown, ended.
        var brief = new Story(parent.Id + "-brief", now, domain: "azure.example", scope: ["invoices:read"], parent: (Aws, parent.Id), expiresAt: parent.ExpiresAt);
        await azure.Client.AppendCreatedAsync(brief.Stream, Story.Body(0, brief.Complete()));
        await WaitForLinkAsync(aws, awsHttp, parent.Id, brief.Id, "completed");

        // The child completes on azure: aws's lineage shows the end, as azure's attestation proves it.
        await azure.Client.AppendCreatedAsync(child.Stream, Story.Body(-1, child.Verified(), child.Completed()));
        var completed = await WaitForLinkAsync(aws, awsHttp, parent.Id, child.Id, "completed");
        completed.GetProperty("checkpointSize").GetInt64().ShouldBeGreaterThan(running.GetProperty("checkpointSize").GetInt64());
        completed.GetProperty("attestationDigest").GetString().ShouldNotBe(running.GetProperty("attestationDigest").GetString());

        // Azure's lineage of the child shows its parent on aws as a link, with the state its last attestation recorded.
        using (var lineage = JsonDocument.Parse(await azureHttp.GetStringAsync($"/v1/executions/{child.Id}/lineage")))
        {
            var up = lineage.RootElement.GetProperty("remoteParent");
            up.GetProperty("ledger").GetString().ShouldBe(Aws);
            up.GetProperty("executionId").GetString().ShouldBe(parent.Id);
            up.GetProperty("status").GetString().ShouldBe("running");
        }

        await ProcessExports.VerifyAsync(awsHttp);
        await ProcessExports.VerifyAsync(azureHttp);
    }

    /// <summary>Polls the parent's lineage until it shows <paramref name="child"/> as a link with <paramref name="status"/>; returns that link.</summary>
    private static async Task<JsonElement> WaitForLinkAsync(Node node, HttpClient http, string parent, string child, string status)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string last;
        while (true)
        {
            using var response = await http.GetAsync($"/v1/executions/{parent}/lineage");
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var lineage = JsonDocument.Parse(last);
                foreach (var link in lineage.RootElement.GetProperty("root").GetProperty("links").EnumerateArray())
                {
                    if (link.GetProperty("executionId").GetString() == child && link.GetProperty("status").GetString() == status)
                    {
                        return link.Clone();
                    }
                }
            }
            else
            {
                response.StatusCode.ShouldBe(HttpStatusCode.NotFound, last);
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The lineage of '{parent}' did not show '{child}' {status} within a minute: {last}\n{node.Process.Output}");
            }

            await Task.Delay(200);
        }
    }

    private static HttpClient Authorized(Node node)
    {
        var http = new HttpClient { BaseAddress = node.Process.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", node.AdminToken);
        return http;
    }
}
