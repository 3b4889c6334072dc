using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;
using Ledger.Projections.Engine;
using Ledger.Projections.Tests.Workload;
using Ledger.Store;

namespace Ledger.Bench;

internal static partial class ProjectionBench
{
    /// <summary>
    /// Three lineage trees of 10, 100 and 1,000 executions (each parent drawn at random among the earlier nodes,
    /// seven entries per execution from intent to completion) in one log with a checkpoint over all of it; then
    /// <c>GetLineageAsync</c> of each root, repeatedly, without and with inclusion proofs (and once with proofs before
    /// any other request, when the store keeps none of the tree's subtree hashes yet).
    /// </summary>
    private static async Task LineageLatencyAsync(string engine, string storeDb, string projectionsDb, bool quick, NoteSigner signer)
    {
        await using var store = await EventStoreFactory.OpenAsync(new StoreOptions { Engine = engine, ConnectionString = storeDb, Origin = Workload.Origin });
        foreach (var nodes in TreeSizes)
        {
            await AppendTreeAsync(store, nodes);
        }

        var size = await store.GetTreeSizeAsync();
        var root = await store.GetRootAsync(size);
        await store.StoreCheckpointAsync(size, root, new Checkpoint(store.Origin, size, root).Sign(signer).Format());
        await using var projections = await ProjectionEngine.OpenAsync(new ProjectionOptions { Engine = engine, ConnectionString = projectionsDb }, store);
        await projections.CatchUpAsync();
        foreach (var nodes in TreeSizes)
        {
            var id = "tree" + nodes.ToString(CultureInfo.InvariantCulture) + "-0";
            var tree = await projections.ReadModels.GetLineageAsync(id, proofs: false) ?? throw new InvalidOperationException("no tree " + id);
            if (tree.Nodes != nodes)
            {
                throw new InvalidOperationException($"The tree of {id} has {tree.Nodes} nodes, not {nodes}.");
            }

            // The first request with proofs finds none of the tree's subtree hashes kept by the store yet.
            var cold = Stopwatch.StartNew();
            _ = await projections.ReadModels.GetLineageAsync(id, proofs: true);
            var first = cold.Elapsed.TotalMilliseconds;
            var iterations = Math.Max(quick ? 10 : 30, (quick ? 2000 : 10_000) / nodes);
            var plain = await LatencyAsync(iterations, () => projections.ReadModels.GetLineageAsync(id, proofs: false));
            var proved = await LatencyAsync(Math.Max(5, iterations / 10), () => projections.ReadModels.GetLineageAsync(id, proofs: true));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {engine} | {nodes:N0} | {nodes * 7:N0} | {Ms(plain.P50)} | {Ms(plain.P99)} | {Ms(first)} | {Ms(proved.P50)} | {Ms(proved.P99)} | {proved.P50 / plain.P50:0.00} |"));
        }
    }

    private static async Task<(double P50, double P99)> LatencyAsync<T>(int iterations, Func<Task<T>> query)
    {
        for (var i = 0; i < Math.Min(5, iterations); i++)
        {
            await query();
        }

        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            await query();
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(samples);
        return (samples[(iterations - 1) / 2], samples[(int)Math.Ceiling(iterations * 0.99) - 1]);
    }

    internal static async Task AppendTreeAsync(IEventStore store, int nodes)
    {
        var random = new Random(nodes);
        var t0 = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var pending = new List<Task<AppendResult>>();
        for (var i = 0; i < nodes; i++)
        {
            var id = $"tree{nodes}-{i}";
            ParentRef? parent = i == 0 ? null : new ParentRef(Workload.Origin, ExecutionId.Parse($"tree{nodes}-{random.Next(i)}"));
            var domain = new[] { "aws.eu-west-1", "azure.westeurope", "gcp.europe-west1" }[i % 3];
            var actor = $"spiffe://{domain}/ns/jobs/sa/runner";
            IExecutionEvent[] lifecycle =
            [
                new IntentDeclared(ExecutionId.Parse(id), actor, "deploy", ["s3://bucket/app"], ["read"], [domain], parent),
                new GovernanceSynchronized("policy-1", Digest("p"), [new SyncedDomain(domain, Digest("p"), t0)]),
                new AuthorizationIssued("authz-" + id, domain, ["read"], t0, t0.AddHours(2), Digest("a")),
                new RuntimeTrustEstablished(actor, "tpm", Digest("m"), "attestor", TrustVerdict.Trusted),
                new ExecutionStarted("node-1"),
                new RuntimeVerified(Digest("m"), VerificationVerdict.Ok),
                new ExecutionCompleted(ExecutionOutcome.Succeeded, [Digest("o" + id)]),
            ];
            var stream = ExecutionId.StreamPrefix + id;
            var batch = lifecycle.Select((e, n) => new ProposedEvent(
                new EmitterStatement(stream, $"{id}-{n}", ExecutionEventCodec.TypeOf(e), domain, "emitter-" + domain.Split('.')[0], null, ExecutionEventCodec.ToData(e), null),
                null)).ToList();
            pending.Add(store.AppendAsync(new AppendRequest(stream, AppendRequest.NoStream, t0.AddSeconds(i), batch)));
        }

        foreach (var result in await Task.WhenAll(pending))
        {
            if (result is not AppendResult.Appended)
            {
                throw new InvalidOperationException("Unexpected append result: " + result);
            }
        }
    }

    private static string Digest(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Ms(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + " ms";
}
