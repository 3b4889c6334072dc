using System.Net;
using System.Text.Json;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;
using Microsoft.Extensions.DependencyInjection;
using static Ledger.Projections.Tests.Api.ApiLedger;

namespace Ledger.Projections.Tests.Api;

/// <summary>The read-model endpoints through the whole API (WebApplicationFactory) on SQLite.</summary>
public sealed class ReadModelApiTests(ApiLedger ledger) : IClassFixture<ApiLedger>
{
    [Theory]
    [InlineData("/v1/executions")]
    [InlineData("/v1/executions/api-root")]
    [InlineData("/v1/executions/api-root/lineage")]
    [InlineData("/v1/domains/aws.us-east-1/compliance")]
    [InlineData("/v1/projections")]
    public async Task Every_read_model_endpoint_needs_a_token(string path) =>
        (await ledger.Anonymous.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

    [Fact]
    public async Task Executions_are_listed_newest_first_with_filters_and_a_cursor()
    {
        var all = await JsonAsync(await ledger.Dev.GetAsync("/v1/executions"));
        var gcpHalted = await JsonAsync(await ledger.Dev.GetAsync($"/v1/executions?domain={Gcp}&status=halted&cloud=gcp&phase=proof&reason=parent-halted"));
        var first = await JsonAsync(await ledger.Dev.GetAsync("/v1/executions?limit=2"));
        var second = await JsonAsync(await ledger.Dev.GetAsync("/v1/executions?limit=2&cursor=" + first.GetProperty("nextCursor").GetString()));
        var window = await JsonAsync(await ledger.Dev.GetAsync("/v1/executions?since=2000-01-01T00:00:00Z&until=2000-01-02T00:00:00Z"));

        Ids(all).ShouldBe(["api-lone", "api-child", "api-root"]);
        all.GetProperty("position").GetInt64().ShouldBe(await ledger.Node.Store.GetTreeSizeAsync());
        all.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
        Ids(gcpHalted).ShouldBe(["api-child"]);
        Ids(first).ShouldBe(["api-lone", "api-child"]);
        Ids(second).ShouldBe(["api-root"]);
        Ids(window).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("status=finished", "status")]
    [InlineData("phase=done", "phase")]
    [InlineData("reason=tired", "reason")]
    [InlineData("since=yesterday", "since")]
    [InlineData("until=2025-01-01", "until")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("cursor=-1", "cursor")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    public async Task Bad_list_parameters_are_refused_naming_the_parameter(string query, string parameter)
    {
        var problem = await JsonAsync(await ledger.Dev.GetAsync("/v1/executions?" + query), 400);

        problem.GetProperty("type").GetString().ShouldBe("https://ledger.dev/problems/validation-failed");
        problem.GetProperty("errors").TryGetProperty(parameter, out _).ShouldBeTrue(problem.ToString());
    }

    [Fact]
    public async Task One_execution_is_served_with_its_state_refusal_evidence_and_entries()
    {
        var child = await JsonAsync(await ledger.Dev.GetAsync("/v1/executions/api-child"));

        child.GetProperty("status").GetString().ShouldBe("halted");
        child.GetProperty("reason").GetString().ShouldBe("parent-halted");
        child.GetProperty("endedBy").GetString().ShouldBe("$ledger");
        child.GetProperty("rootId").GetString().ShouldBe("api-root");
        child.GetProperty("depth").GetInt64().ShouldBe(1);
        child.GetProperty("cloud").GetString().ShouldBe("gcp");
        child.GetProperty("parentLedger").GetString().ShouldBe(ledger.Node.Origin);
        child.GetProperty("proven").GetBoolean().ShouldBeTrue();
        var events = child.GetProperty("events").EnumerateArray().ToList();
        events.Select(e => e.GetProperty("type").GetString()).ShouldBe([
            "execution.intent-declared.v1", "execution.governance-synchronized.v1", "execution.authorization-issued.v1",
            "execution.runtime-trust-established.v1", "execution.started.v1", "execution.runtime-verified.v1", "execution.halted.v1",
            "execution.proof-persisted.v1"]);
        var stored = (await ledger.Node.Store.GetEntryAsync(events[0].GetProperty("position").GetInt64()))!;
        events[0].GetProperty("leafHash").GetString().ShouldBe(Convert.ToBase64String(stored.LeafHash));
    }

    [Fact]
    public async Task An_invalid_or_unknown_execution_id_is_answered_with_a_problem()
    {
        (await JsonAsync(await ledger.Dev.GetAsync("/v1/executions/not%20an%20id"), 400)).GetProperty("type").GetString().ShouldEndWith("/out-of-range");
        (await JsonAsync(await ledger.Dev.GetAsync("/v1/executions/nobody"), 404)).GetProperty("type").GetString().ShouldEndWith("/not-found");
        (await JsonAsync(await ledger.Dev.GetAsync("/v1/executions/not%20an%20id/lineage"), 400)).GetProperty("type").GetString().ShouldEndWith("/out-of-range");
        (await JsonAsync(await ledger.Dev.GetAsync("/v1/executions/nobody/lineage"), 404)).GetProperty("type").GetString().ShouldEndWith("/not-found");
    }

    [Fact]
    public async Task The_proof_job_anchors_the_lineage_digest_of_a_finished_tree_in_the_log()
    {
        var tree = await JsonAsync(await ledger.Dev.GetAsync("/v1/executions/api-child/lineage"));
        var proofs = new List<LedgerEntry>();
        await foreach (var stored in ledger.Node.Store.ReadLogAsync(0, 10_000))
        {
            var entry = LedgerEntry.Parse(stored.Entry);
            if (entry.Type == "execution.proof-persisted.v1")
            {
                proofs.Add(entry);
            }
        }

        ledger.Proofs.ShouldBe(2);
        proofs.Select(p => p.Stream).ShouldBe(["execution-api-root", "execution-api-child"]);
        proofs.Select(p => (p.Emitter, p.EventId)).ShouldBe([("$ledger", "ledger-proof-api-root"), ("$ledger", "ledger-proof-api-child")]);
        tree.GetProperty("rootId").GetString().ShouldBe("api-root");
        tree.GetProperty("nodes").GetInt32().ShouldBe(2);
        tree.GetProperty("anchored").GetBoolean().ShouldBeTrue();
        var digest = tree.GetProperty("digest").GetString();
        digest.ShouldStartWith("sha256:");
        tree.GetProperty("anchoredDigest").GetString().ShouldBe(digest);
        proofs.ShouldAllBe(p => p.Data.GetProperty("lineageDigest").GetString() == digest);
        tree.GetProperty("root").GetProperty("children").EnumerateArray().Single()
            .GetProperty("execution").GetProperty("executionId").GetString().ShouldBe("api-child");
        (await ledger.Services.GetRequiredService<Ledger.Application.Jobs.ProofJob>().RunOnceAsync(CancellationToken.None)).ShouldBe(0, "a tree is proven once");
    }

    [Fact]
    public async Task Lineage_entries_carry_inclusion_proofs_against_the_latest_checkpoint_when_asked()
    {
        var tree = await JsonAsync(await ledger.Dev.GetAsync("/v1/executions/api-root/lineage?proofs=true"));

        var checkpoint = tree.GetProperty("checkpoint");
        var size = checkpoint.GetProperty("size").GetInt64();
        var root = Convert.FromBase64String(checkpoint.GetProperty("rootHash").GetString()!);
        checkpoint.GetProperty("signedNote").GetString()!.ShouldContain(ledger.Node.Origin);
        var events = tree.GetProperty("root").GetProperty("events").EnumerateArray()
            .Concat(tree.GetProperty("root").GetProperty("children")[0].GetProperty("events").EnumerateArray()).ToList();
        events.Count.ShouldBe(16);
        foreach (var e in events)
        {
            var proof = e.GetProperty("proof");
            proof.GetProperty("treeSize").GetInt64().ShouldBe(size);
            MerkleVerifier.VerifyInclusion(
                    e.GetProperty("position").GetInt64(), size, Convert.FromBase64String(e.GetProperty("leafHash").GetString()!),
                    [.. proof.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!))], root)
                .IsValid.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task A_domain_compliance_view_is_served()
    {
        var view = await JsonAsync(await ledger.Dev.GetAsync($"/v1/domains/{Gcp}/compliance?within=PT1H&limit=5"));

        view.GetProperty("domain").GetString().ShouldBe(Gcp);
        view.GetProperty("statuses").GetProperty("halted").GetInt64().ShouldBe(2);
        view.GetProperty("statuses").GetProperty("running").GetInt64().ShouldBe(1);
        view.GetProperty("halted").EnumerateArray().Select(r => r.GetProperty("reason").GetString()).ShouldBe(["emitter-reported", "parent-halted"]);
        view.GetProperty("running").GetProperty("items")[0].GetProperty("execution").GetProperty("executionId").GetString().ShouldBe("api-lone");
        var expiring = view.GetProperty("authorizationsExpiring");
        expiring.GetProperty("total").GetInt64().ShouldBe(1);
        view.GetProperty("parameters").GetProperty("maxVerificationInterval").GetString().ShouldBe("PT5M");
    }

    [Theory]
    [InlineData("within=soon", "within")]
    [InlineData("within=-PT1H", "within")]
    [InlineData("within=P60D", "within")]
    [InlineData("within=P1Y", "within")]
    [InlineData("within=P1M", "within")]
    [InlineData("within=PT0S", "within")]
    [InlineData("within=P10675199D", "within")]
    [InlineData("limit=0", "limit")]
    public async Task Bad_compliance_parameters_are_refused(string query, string parameter)
    {
        var problem = await JsonAsync(await ledger.Dev.GetAsync($"/v1/domains/{Aws}/compliance?{query}"), 400);

        problem.GetProperty("errors").TryGetProperty(parameter, out _).ShouldBeTrue(problem.ToString());
    }

    [Fact]
    public async Task Projections_report_their_position_and_lag()
    {
        var body = await JsonAsync(await ledger.Dev.GetAsync("/v1/projections"));

        var projections = body.GetProperty("projections").EnumerateArray().ToList();
        projections.Select(p => p.GetProperty("name").GetString()).ShouldBe(["checkpoints", "emitters", "executions"]);
        projections.ShouldAllBe(p => p.GetProperty("lag").GetInt64() >= 0 && p.GetProperty("logSize").GetInt64() > 0);
    }

    [Fact]
    public async Task Only_an_admin_rebuilds_a_projection_and_the_read_model_comes_back_the_same()
    {
        var before = await JsonAsync(await ledger.Dev.GetAsync("/v1/executions/api-child/lineage"));

        (await ledger.Anonymous.PostAsync("/v1/projections/executions/rebuild", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ledger.Dev.PostAsync("/v1/projections/executions/rebuild", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await JsonAsync(await ledger.Admin.PostAsync("/v1/projections/nope/rebuild", null), 404)).GetProperty("detail").GetString()!.ShouldContain("executions");
        var accepted = await JsonAsync(await ledger.Admin.PostAsync("/v1/projections/executions/rebuild", null), 202);
        accepted.GetProperty("name").GetString().ShouldBe("executions");
        accepted.GetProperty("rebuild").GetString().ShouldBe("requested");
        await ledger.CaughtUpAsync();

        var status = (await ledger.Engine.GetStatusAsync()).Single(s => s.Name == "executions");
        status.RebuiltAt.ShouldNotBeNull();
        (await JsonAsync(await ledger.Dev.GetAsync("/v1/executions/api-child/lineage"))).ToString().ShouldBe(before.ToString());
    }

    [Fact]
    public async Task The_openapi_document_names_every_read_model_operation()
    {
        var document = await (await ledger.Anonymous.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();

        foreach (var name in new[] { "ListExecutions", "GetExecution", "GetExecutionLineage", "GetDomainCompliance", "ListProjections", "RebuildProjection" })
        {
            document.ShouldContain($"\"operationId\": \"{name}\"");
        }
    }

    private static IEnumerable<string?> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("executionId").GetString());
}
