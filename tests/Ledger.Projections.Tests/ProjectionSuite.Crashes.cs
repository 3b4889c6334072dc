using Ledger.Projections.Storage;
using Ledger.Projections.Tests.Infrastructure;

namespace Ledger.Projections.Tests;

public abstract partial class ProjectionSuite
{
    [Fact]
    public async Task Killing_the_projecting_process_and_restarting_it_leaves_the_read_models_as_if_nothing_had_happened()
    {
        var ledger = await NewLedgerAsync();
        await new Workload.Workload(ledger.Store, seed: 21).AppendAsync(4000);
        var size = await ledger.Store.GetTreeSizeAsync();

        using (var driver = DriverProcess.Start(Engine, ledger.StoreDatabase, ledger.ProjectionsDatabase, Workload.Workload.Origin, batch: 50, commitDelayMilliseconds: 4))
        {
            await driver.WaitForPositionAsync("executions", 1500, TimeSpan.FromMinutes(2));
            await driver.KillAsync();
        }

        var killed = (await ledger.Engine.GetStatusAsync()).Single(s => s.Name == "executions");
        killed.Position.ShouldBeGreaterThanOrEqualTo(1400);
        killed.Position.ShouldBeLessThan(size);
        (killed.Position % 50).ShouldBe(0, "only whole batches are committed");
        await ShouldHoldExactlyTheEventsBelowAsync(ledger, killed.Position);

        using (var restarted = DriverProcess.Start(Engine, ledger.StoreDatabase, ledger.ProjectionsDatabase, Workload.Workload.Origin, batch: 50, commitDelayMilliseconds: 0))
        {
            await restarted.CompleteAsync(TimeSpan.FromMinutes(3));
        }

        (await ReadModelDump.TakeAsync(ledger.Engine)).ShouldMatch(await ReferenceDumpAsync(ledger.Store), "after a kill and a restart");
    }

    [Fact]
    public async Task A_failure_inside_a_batch_rolls_back_its_writes_and_its_position()
    {
        var ledger = await NewLedgerAsync(batch: 100);
        await new Workload.Workload(ledger.Store, seed: 22).AppendAsync(1200);
        ledger.Engine.BeforeCommit = (name, to) => name == "executions" && to == 500
            ? throw new InvalidOperationException("injected crash before commit")
            : ValueTask.CompletedTask;

        await Should.ThrowAsync<InvalidOperationException>(() => ledger.Engine.CatchUpAsync("executions"));

        (await ledger.Engine.GetStatusAsync()).Single(s => s.Name == "executions").Position.ShouldBe(400);
        await ShouldHoldExactlyTheEventsBelowAsync(ledger, 400);
        ledger.Engine.BeforeCommit = null;
        await ledger.Engine.CatchUpAsync();
        (await ReadModelDump.TakeAsync(ledger.Engine)).ShouldMatch(await ReferenceDumpAsync(ledger.Store), "after the failed batch was projected again");
    }

    [Fact]
    public async Task A_failure_inside_a_rebuild_batch_leaves_the_live_tables_and_resumes_the_rebuild()
    {
        var ledger = await NewLedgerAsync(batch: 100);
        await new Workload.Workload(ledger.Store, seed: 23).AppendAsync(900);
        await ledger.Engine.CatchUpAsync();
        var live = await ReadModelDump.TakeAsync(ledger.Engine);
        await ledger.Engine.RequestRebuildAsync("executions");
        ledger.Engine.BeforeCommit = (name, to) => to == 300 ? throw new InvalidOperationException("injected crash") : ValueTask.CompletedTask;

        await Should.ThrowAsync<InvalidOperationException>(() => ledger.Engine.CatchUpAsync("executions"));

        var status = (await ledger.Engine.GetStatusAsync()).Single(s => s.Name == "executions");
        status.Rebuild.ShouldBe("building");
        status.RebuildPosition.ShouldBe(200);
        ledger.Engine.BeforeCommit = null;
        await ledger.Engine.CatchUpAsync("executions");
        (await ReadModelDump.TakeAsync(ledger.Engine)).ShouldMatch(live, "after a rebuild that failed once");
    }

    [Fact]
    public async Task Two_runners_racing_on_one_database_apply_every_entry_once()
    {
        var ledger = await NewLedgerAsync(batch: 40);
        await new Workload.Workload(ledger.Store, seed: 24).AppendAsync(1500);
        var other = await OpenEngineAsync(ledger.Store, ledger.ProjectionsDatabase, batch: 40);

        // Bypass the runner locks: both step the same projections as fast as they can.
        await Task.WhenAll(RaceAsync(ledger.Engine), RaceAsync(other));

        (await ReadModelDump.TakeAsync(ledger.Engine)).ShouldMatch(await ReferenceDumpAsync(ledger.Store), "after two racing runners");
    }

    private static async Task RaceAsync(Engine.ProjectionEngine engine)
    {
        await using var connection = await engine.Database.OpenAsync(CancellationToken.None);
        foreach (var runner in engine.Runners.Values)
        {
            while (await runner.StepAsync(connection, CancellationToken.None))
            {
            }
        }
    }

    private static async Task ShouldHoldExactlyTheEventsBelowAsync(Ledger ledger, long position)
    {
        await using var connection = await ledger.Engine.Database.OpenAsync(CancellationToken.None);
        var max = (long?)await Sql.ScalarAsync(connection, null, "SELECT MAX(position) FROM proj_execution_events", CancellationToken.None);
        max.ShouldNotBeNull();
        max.Value.ShouldBeLessThan(position);
        var count = (long)(await Sql.ScalarAsync(connection, null, "SELECT COUNT(*) FROM proj_executions WHERE last_position >= @p", CancellationToken.None, ("@p", position)))!;
        count.ShouldBe(0);
    }
}
