using Ledger.Api.Tests.FailClosed;
using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests.EndToEnd;

// Following peers with real processes (DESIGN §8.2): remote ends propagate through the follow job and the durable
// cascade, a silent peer fails closed, and restarts or a kill -9 never end a child twice.
public sealed partial class FederationProcessTests
{
    [Fact]
    public async Task A_remote_halt_ends_the_children_and_their_descendants_and_a_killed_peer_ends_the_rest_with_federation_sync_lost()
    {
        var database = await postgres.Server.CreateDatabaseAsync("follow-parent");
        await using var aws = await StartAsync("aws", Aws, database);
        using var awsHttp = new HttpClient { BaseAddress = aws.Process.Address };
        var awsKey = (await awsHttp.GetStringAsync("/v1/log/key")).Trim();
        await using var azure = await StartAsync("azure", Azure, null,
            "--Ledger:Peers:0:Origin", Aws, "--Ledger:Peers:0:Key", awsKey, "--Ledger:Peers:0:Url", aws.Process.Address.ToString());

        var now = DateTimeOffset.UtcNow;
        var halted = new Story("halted-" + Guid.NewGuid().ToString("N")[..8], now);
        var kept = new Story("kept-" + Guid.NewGuid().ToString("N")[..8], now);
        await aws.Client.StartExecutionAsync(halted);
        await aws.Client.StartExecutionAsync(kept);
        var child = new Story(halted.Id + "-child", now, domain: "azure.example", scope: ["invoices:read"], parent: (Aws, halted.Id), expiresAt: halted.ExpiresAt);
        var grandchild = new Story(halted.Id + "-grandchild", now, domain: "azure.example", scope: ["invoices:read"], parent: (Azure, child.Id), expiresAt: halted.ExpiresAt);
        var declared = new Story(halted.Id + "-declared", now, domain: "azure.example", scope: ["invoices:read"], parent: (Aws, halted.Id), expiresAt: halted.ExpiresAt);
        var other = new Story(kept.Id + "-child", now, domain: "azure.example", scope: ["invoices:read"], parent: (Aws, kept.Id), expiresAt: kept.ExpiresAt);
        await azure.Client.StartExecutionAsync(child);
        await azure.Client.StartExecutionAsync(grandchild);
        await azure.Client.AppendCreatedAsync(declared.Stream, Story.Body(0, declared.Intent()));
        await azure.Client.StartExecutionAsync(other);

        // The parent halts on aws: the child ends (parent-halted) with the attestation of the halt recorded before its
        // end, an intent not started yet is denied, and the local cascade ends the grandchild.
        await aws.Client.AppendCreatedAsync(halted.Stream, Story.Body(5, halted.Halted()));
        (await WaitForEndAsync(azure, child.Id)).ShouldBe(new Decision(child.Id, false, "halted", "parent-halted"));
        (await WaitForEndAsync(azure, declared.Id)).ShouldBe(new Decision(declared.Id, false, "denied", "parent-halted"));
        (await WaitForEndAsync(azure, grandchild.Id)).ShouldBe(new Decision(grandchild.Id, false, "halted", "parent-halted"));
        (await StreamTypesAsync(azure, child.Stream))[^2..].ShouldBe(["federation.parent-attested.v1", "execution.halted.v1"]);
        (await azure.Client.DecisionAsync(other.Id)).Allowed.ShouldBeTrue("the other parent still runs, and the follow job keeps proving it");
        await aws.Client.ExportAndVerifyAsync();
        await azure.Client.ExportAndVerifyAsync();

        // Audited together, every attestation azure recorded (the intents' and starts', the halt's) holds against aws's
        // key and aws's own log.
        var audit = await LedgerClient.AuditFederationAsync(aws.Client, azure.Client);
        audit.GetProperty("records").GetInt64().ShouldBeGreaterThanOrEqualTo(5);
        audit.GetProperty("findings").GetArrayLength().ShouldBe(0, audit.ToString());

        // The peer is killed: once no attestation was verified for maxPeerSilence, the other child ends too.
        await ConfigurePeerSilenceAsync(azure, "PT10S");
        await aws.Process.KillAsync();
        (await WaitForEndAsync(azure, other.Id)).ShouldBe(new Decision(other.Id, false, "halted", "federation-sync-lost"));
        (await StreamTypesAsync(azure, other.Stream))[^1].ShouldBe("execution.halted.v1");
        await azure.Client.ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_restarted_peer_ends_nothing_and_a_child_ledger_killed_mid_follow_resumes_and_ends_each_child_once()
    {
        const int Children = 40;
        var awsPort = LedgerProcess.FreePort();
        var aws = await StartAsync("aws", Aws, null, awsPort, null);
        using var awsHttp = new HttpClient { BaseAddress = aws.Process.Address };
        var awsKey = (await awsHttp.GetStringAsync("/v1/log/key")).Trim();
        var database = await postgres.Server.CreateDatabaseAsync("follow-child");
        string[] peer = ["--Ledger:Peers:0:Origin", Aws, "--Ledger:Peers:0:Key", awsKey, "--Ledger:Peers:0:Url", aws.Process.Address.ToString()];
        var azurePort = LedgerProcess.FreePort();
        var azure = await StartAsync("azure", Azure, database, azurePort, null, peer);
        try
        {
            var now = DateTimeOffset.UtcNow;
            var parent = new Story("parent-" + Guid.NewGuid().ToString("N")[..8], now);
            await aws.Client.StartExecutionAsync(parent);
            var children = Enumerable.Range(0, Children)
                .Select(i => new Story($"{parent.Id}-c{i}", now, domain: "azure.example", scope: ["invoices:read"], parent: (Aws, parent.Id), expiresAt: parent.ExpiresAt))
                .ToList();
            await azure.Client.StartExecutionsAsync(children, parallelism: 4);

            // The peer stops and comes back on the same address: within maxPeerSilence nothing ends.
            (await aws.Process.StopAsync()).ShouldBe(0);
            await aws.DisposeAsync();
            aws = await StartAsync("aws", Aws, null, awsPort, aws.AdminToken);
            await aws.Client.AppendCreatedAsync(parent.Stream, Story.Body(5, parent.Verified()));
            (await azure.Client.DecisionsAsync(children.Select(c => c.Id))).ShouldAllBe(d => d.Allowed);

            // The parent halts; the child ledger is killed as soon as the first child ended, then restarted.
            await aws.Client.AppendCreatedAsync(parent.Stream, Story.Body(6, parent.Halted()));
            await WaitForEndAsync(azure, children[0].Id);
            await azure.Process.KillAsync();
            await azure.DisposeAsync();
            azure = await StartAsync("azure", Azure, database, azurePort, azure.AdminToken, peer);
            foreach (var c in children)
            {
                (await WaitForEndAsync(azure, c.Id)).ShouldBe(new Decision(c.Id, false, "halted", "parent-halted"));
            }

            // Exactly one end per child, each after exactly one attestation of the halted parent.
            var entries = await azure.Client.EntriesAsync();
            foreach (var c in children)
            {
                var types = entries.Where(e => e.Stream == c.Stream).Select(e => e.Type).ToList();
                types.Count(t => t == "execution.halted.v1").ShouldBe(1, c.Id);
                types.Count(t => t == "federation.parent-attested.v1").ShouldBe(3, c.Id + ": at the intent, at the start, before the end");
                types[^2..].ShouldBe(["federation.parent-attested.v1", "execution.halted.v1"], c.Id);
            }

            await aws.Client.ExportAndVerifyAsync();
            await azure.Client.ExportAndVerifyAsync();
        }
        finally
        {
            await aws.DisposeAsync();
            await azure.DisposeAsync();
        }
    }
}
