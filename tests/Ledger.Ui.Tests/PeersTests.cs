using System.Net;
using System.Net.Sockets;
using Ledger.Domain.Crypto;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;
using Ledger.Store;
using Microsoft.Playwright;

namespace Ledger.Ui.Tests;

[Collection(UiTestGroup.Name)]
public sealed class PeersTests(UiFixture fixture) : UiTest(fixture)
{
    [Fact]
    public async Task Configured_peers_are_listed_with_their_keys_domains_and_sync_state_and_never_called()
    {
        // The peers' URLs point at a socket that records any connection: the page must not make one.
        using var trap = new TcpListener(IPAddress.Loopback, 0);
        trap.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)trap.LocalEndpoint).Port}/";
        using var keyA = SigningKey.GenerateEd25519();
        using var keyB = SigningKey.GenerateEcdsaP256();
        using var peerA = NoteSigner.Create("partner-a.example/ledger", keyA);
        using var peerB = NoteSigner.Create("partner-b.example/ledger", keyB);
        await using var server = await UiServer.StartAsync(0, settings: new Dictionary<string, string>
        {
            ["Ledger:Peers:0:Origin"] = "partner-a.example/ledger",
            ["Ledger:Peers:0:Key"] = peerA.Verifier.VerifierKey,
            ["Ledger:Peers:0:Url"] = url + "a",
            ["Ledger:Peers:0:HomeDomains:0"] = "partner-a.eu-west",
            ["Ledger:Peers:0:HomeDomains:1"] = "partner-a.us-east",
            ["Ledger:Peers:1:Origin"] = "partner-b.example/ledger",
            ["Ledger:Peers:1:Key"] = peerB.Verifier.VerifierKey,
            ["Ledger:Peers:1:Url"] = url + "b",
        });

        // This ledger verified an attestation of partner A's execution up-1 and declared a child under it.
        var at = server.Clock.GetUtcNow();
        var attested = new ParentAttested(
            "partner-a.example/ledger", ExecutionId.Parse("up-1"), "sha256:" + new string('a', 64),
            new Checkpoint("partner-a.example/ledger", 42, new byte[32]).Sign(peerA).Format(), 42, 5, ExecutionStatus.Running, ["invoices:read"],
            at.AddHours(1), at.AddSeconds(-3));
        await AppendAsync(server, "kid-1", attested, "$ledger", at);
        await AppendAsync(server, "kid-1", new IntentDeclared(
            ExecutionId.Parse("kid-1"), "spiffe://aws.example/job", "export", ["s3://invoices"], ["invoices:read"], ["aws.example"],
            new ParentRef("partner-a.example/ledger", ExecutionId.Parse("up-1"))), "dev", at);
        await server.CaughtUpAsync();

        var page = await SignedInAsync(server);
        var response = await page.GotoAsync("/ui/peers");

        response!.Status.ShouldBe(200);
        var rows = page.Locator("table.peers tbody tr");
        (await rows.CountAsync()).ShouldBe(2);
        var a = await rows.Nth(0).InnerTextAsync();
        a.ShouldContain("partner-a.example/ledger");
        a.ShouldContain(url + "a");
        a.ShouldContain($"partner-a.example/ledger+{peerA.Verifier.KeyId:x8}");
        a.ShouldContain("partner-a.eu-west, partner-a.us-east");
        a.ShouldContain("the peer's own signature");
        a.ShouldContain("checkpoint size 42, for kid-1 at position");
        a.ShouldContain("1 recorded");
        (await rows.Nth(0).GetByRole(AriaRole.Link, new() { Name = "kid-1" }).GetAttributeAsync("href")).ShouldBe("/ui/executions/kid-1");
        (await rows.Nth(0).Locator("code[title]").GetAttributeAsync("title")).ShouldBe(peerA.Verifier.VerifierKey);
        var b = await rows.Nth(1).InnerTextAsync();
        b.ShouldContain("partner-b.example/ledger");
        b.ShouldContain("none recorded yet");
        (await page.Locator(".empty").AllInnerTextsAsync()).ShouldNotContain(t => t.Contains("No peers", StringComparison.Ordinal));
        await AccessibleAsync(page);
        await ReadOnlyAsync(page);
        await ScreenshotAsync(page, "peers-configured");

        trap.Pending().ShouldBeFalse("the peers page connected to a peer");
        await server.ExportVerifiesAsync();
    }

    private static async Task AppendAsync(UiServer server, string id, IExecutionEvent @event, string emitter, DateTimeOffset at)
    {
        var statement = new EmitterStatement(
            ExecutionId.StreamPrefix + id, id + "-" + ExecutionEventCodec.TypeOf(@event), ExecutionEventCodec.TypeOf(@event), "aws.example", emitter, null,
            ExecutionEventCodec.ToData(@event), null);
        var result = await server.Node.Store.AppendAsync(new AppendRequest(statement.Stream, AppendRequest.AnyVersion, at, [new ProposedEvent(statement, null)]));
        result.ShouldBeOfType<AppendResult.Appended>();
    }
}
