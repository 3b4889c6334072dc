using Ledger.Projections.Reading;
using Ledger.Projections.Tests.Infrastructure;

namespace Ledger.Projections.Tests;

public abstract partial class ProjectionSuite
{
    [Fact]
    public async Task Rebuild_from_zero_gives_read_models_identical_to_the_live_run()
    {
        var ledger = await NewLedgerAsync(batch: 97);
        var workload = await RunWorkloadAsync(ledger, chunks: 4, eventsPerChunk: 1500, seed: 11);
        var live = await ReadModelDump.TakeAsync(ledger.Engine);

        foreach (var name in ledger.Engine.Names)
        {
            await ledger.Engine.RequestRebuildAsync(name);
        }

        await ledger.Engine.CatchUpAsync();

        (await ReadModelDump.TakeAsync(ledger.Engine)).ShouldMatch(live, "after a rebuild");
        ShouldCoverTheWorkloadsStories(workload);
        live.Count(l => l.StartsWith("execution_events ", StringComparison.Ordinal)).ShouldBeGreaterThan(5000);
    }

    [Fact]
    public async Task Rebuilding_again_reuses_the_table_and_index_names_cleanly()
    {
        var ledger = await NewLedgerAsync(batch: 250);
        await RunWorkloadAsync(ledger, chunks: 2, eventsPerChunk: 800, seed: 12);
        var live = await ReadModelDump.TakeAsync(ledger.Engine);

        for (var round = 0; round < 2; round++)
        {
            await ledger.Engine.RequestRebuildAsync("executions");
            await ledger.Engine.CatchUpAsync("executions");
        }

        (await ReadModelDump.TakeAsync(ledger.Engine)).ShouldMatch(live, "after two rebuilds");
        (await ledger.Engine.ReadModels.ListExecutionsAsync(new ExecutionQuery { Status = "completed", Limit = 3 })).Items.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Read_models_do_not_depend_on_where_batches_begin_and_end()
    {
        var ledger = await NewLedgerAsync(batch: 61, catchUp: 443);
        await RunWorkloadAsync(ledger, chunks: 3, eventsPerChunk: 1000, seed: 13);

        (await ReadModelDump.TakeAsync(ledger.Engine)).ShouldMatch(await ReferenceDumpAsync(ledger.Store), "batches of 61 and 443 against batches of 1000");
    }

    [Fact]
    public async Task Catching_up_from_far_behind_uses_the_larger_batches_and_reads_ahead()
    {
        var ledger = await NewLedgerAsync(batch: 100, catchUp: 700);
        await new Workload.Workload(ledger.Store, seed: 16).AppendAsync(2000);
        var committed = new List<long>();
        ledger.Engine.BeforeCommit = (name, to) =>
        {
            if (name == "executions")
            {
                committed.Add(to);
            }

            return ValueTask.CompletedTask;
        };

        await ledger.Engine.CatchUpAsync("executions");

        var size = await ledger.Store.GetTreeSizeAsync();
        committed.Take(3).ShouldBe([100, 800, 1500], "one live batch, then catch-up batches");
        committed[^1].ShouldBe(size);
    }

    [Fact]
    public async Task During_a_rebuild_the_live_read_models_keep_answering_until_the_rebuilt_ones_replace_them()
    {
        var ledger = await NewLedgerAsync(batch: 200);
        await RunWorkloadAsync(ledger, chunks: 2, eventsPerChunk: 1000, seed: 14);
        var size = await ledger.Store.GetTreeSizeAsync();
        var before = await ledger.Engine.ReadModels.ListExecutionsAsync(new ExecutionQuery { Limit = 500 });
        var runner = ledger.Engine.Runners["executions"];
        await using var connection = await ledger.Engine.Database.OpenAsync(CancellationToken.None);

        await ledger.Engine.RequestRebuildAsync("executions");
        for (var step = 0; step < 4; step++)
        {
            (await runner.StepAsync(connection, CancellationToken.None)).ShouldBeTrue();
        }

        var status = (await ledger.Engine.GetStatusAsync()).Single(s => s.Name == "executions");
        status.Rebuild.ShouldBe("building");
        status.RebuildPosition.ShouldBe(600);
        status.Position.ShouldBe(size);
        status.Lag.ShouldBe(0);
        (await ledger.Engine.ReadModels.ListExecutionsAsync(new ExecutionQuery { Limit = 500 })).ShouldBeEquivalentTo(before);

        await ledger.Engine.CatchUpAsync("executions");

        status = (await ledger.Engine.GetStatusAsync()).Single(s => s.Name == "executions");
        status.Rebuild.ShouldBeNull();
        status.RebuildPosition.ShouldBeNull();
        status.RebuiltAt.ShouldNotBeNull();
        status.Position.ShouldBe(size);
        (await ledger.Engine.ReadModels.ListExecutionsAsync(new ExecutionQuery { Limit = 500 })).ShouldBeEquivalentTo(before);
    }

    [Fact]
    public async Task Asking_for_a_rebuild_during_a_rebuild_starts_it_over()
    {
        var ledger = await NewLedgerAsync(batch: 100);
        await RunWorkloadAsync(ledger, chunks: 1, eventsPerChunk: 700, seed: 15);
        var live = await ReadModelDump.TakeAsync(ledger.Engine);
        var runner = ledger.Engine.Runners["emitters"];
        await using var connection = await ledger.Engine.Database.OpenAsync(CancellationToken.None);
        await ledger.Engine.RequestRebuildAsync("emitters");
        await runner.StepAsync(connection, CancellationToken.None);
        await runner.StepAsync(connection, CancellationToken.None);

        var again = await ledger.Engine.RequestRebuildAsync("emitters");

        again.Rebuild.ShouldBe("requested");
        again.RebuildPosition.ShouldBeNull();
        await ledger.Engine.CatchUpAsync("emitters");
        (await ReadModelDump.TakeAsync(ledger.Engine)).ShouldMatch(live, "after a restarted rebuild");
    }

    [Fact]
    public async Task Rebuilding_an_unknown_projection_is_refused()
    {
        var ledger = await NewLedgerAsync();

        await Should.ThrowAsync<KeyNotFoundException>(() => ledger.Engine.RequestRebuildAsync("nope"));
    }

    private static void ShouldCoverTheWorkloadsStories(Workload.Workload workload)
    {
        var stats = workload.Stats;
        stats.GetValueOrDefault("child").ShouldBeGreaterThan(20, "nested executions");
        stats.GetValueOrDefault("cascade").ShouldBeGreaterThan(3, "cascades to descendants");
        stats.GetValueOrDefault("proof").ShouldBeGreaterThan(20, "lineage proofs");
        stats.GetValueOrDefault("sweep").ShouldBeGreaterThan(0, "silence sweeps");
        stats.Keys.Count(k => k.StartsWith("refused:", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(5, "kinds of refusal");
        stats.Keys.ShouldContain("halted:emitter-reported");
        stats.Keys.ShouldContain("denied:emitter-reported");
        stats.Keys.ShouldContain("refused:lineage-broken");
    }
}
