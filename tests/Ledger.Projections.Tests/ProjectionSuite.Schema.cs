using Ledger.Projections.Engine;
using Ledger.Projections.Storage;
using Ledger.Projections.Tests.Infrastructure;

namespace Ledger.Projections.Tests;

public abstract partial class ProjectionSuite
{
    [Fact]
    public async Task Opening_the_read_models_again_keeps_them_and_migrates_nothing()
    {
        var ledger = await NewLedgerAsync();
        await new Workload.Workload(ledger.Store, seed: 41).AppendAsync(300);
        await ledger.Engine.CatchUpAsync();
        var before = await ReadModelDump.TakeAsync(ledger.Engine);

        var again = await OpenEngineAsync(ledger.Store, ledger.ProjectionsDatabase);

        (await ReadModelDump.TakeAsync(again)).ShouldMatch(before, "after opening again");
        await using var connection = await again.Database.OpenAsync(CancellationToken.None);
        ((long)(await Sql.ScalarAsync(connection, null, "SELECT COUNT(*) FROM proj_migrations", CancellationToken.None))!).ShouldBe(4, "positions, remote-links, remote-link-cursors, remote-links-open: each once");
    }

    [Fact]
    public async Task Engines_opening_one_empty_database_at_once_migrate_it_once()
    {
        var ledger = await NewLedgerAsync();
        var fresh = await NewProjectionsDatabaseAsync();

        var engines = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenEngineAsync(ledger.Store, fresh)));

        (await engines[0].GetStatusAsync()).Count.ShouldBe(3);
        await using var connection = await engines[0].Database.OpenAsync(CancellationToken.None);
        ((long)(await Sql.ScalarAsync(connection, null, "SELECT COUNT(*) FROM proj_migrations", CancellationToken.None))!).ShouldBe(4, "positions, remote-links, remote-link-cursors, remote-links-open: each once");
    }

    [Fact]
    public async Task Read_models_with_a_newer_schema_are_refused()
    {
        var ledger = await NewLedgerAsync();
        await using (var connection = await ledger.Engine.Database.OpenAsync(CancellationToken.None))
        {
            await Sql.ExecuteAsync(connection, null, "UPDATE proj_positions SET schema_version = 99 WHERE name = 'emitters'", CancellationToken.None);
        }

        var refused = await Should.ThrowAsync<InvalidOperationException>(() => OpenEngineAsync(ledger.Store, ledger.ProjectionsDatabase));
        refused.Message.ShouldContain("'emitters' read model is at schema version 99");
    }

    [Fact]
    public async Task Engine_migrations_newer_than_the_build_are_refused()
    {
        var ledger = await NewLedgerAsync();
        await using (var connection = await ledger.Engine.Database.OpenAsync(CancellationToken.None))
        {
            await Sql.ExecuteAsync(connection, null, "INSERT INTO proj_migrations (version, name, applied_at) VALUES (7, 'future', 'x')", CancellationToken.None);
        }

        var refused = await Should.ThrowAsync<InvalidOperationException>(() => OpenEngineAsync(ledger.Store, ledger.ProjectionsDatabase));
        refused.Message.ShouldContain("schema is at version 7");
    }

    [Fact]
    public async Task A_projection_whose_tables_are_older_than_the_build_is_built_again_from_zero()
    {
        var ledger = await NewLedgerAsync();
        await new Workload.Workload(ledger.Store, seed: 42).AppendAsync(300);
        await ledger.Engine.CatchUpAsync();
        var before = await ReadModelDump.TakeAsync(ledger.Engine);
        await using (var connection = await ledger.Engine.Database.OpenAsync(CancellationToken.None))
        {
            await Sql.ExecuteAsync(connection, null, "UPDATE proj_positions SET schema_version = 0 WHERE name = 'executions'", CancellationToken.None);
        }

        var upgraded = await OpenEngineAsync(ledger.Store, ledger.ProjectionsDatabase);

        var status = await upgraded.GetStatusAsync();
        status.Single(s => s.Name == "executions").Position.ShouldBe(0);
        status.Single(s => s.Name == "emitters").Position.ShouldBeGreaterThan(0);
        await upgraded.CatchUpAsync();
        (await ReadModelDump.TakeAsync(upgraded)).ShouldMatch(before, "after the upgrade rebuilt the executions read model");
    }

    [Fact]
    public async Task Options_out_of_range_are_refused()
    {
        var ledger = await NewLedgerAsync();
        ProjectionOptions Options() => new() { Engine = Engine, ConnectionString = ledger.ProjectionsDatabase };

        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => ProjectionEngine.OpenAsync(Change(Options(), o => o.BatchSize = 0), ledger.Store));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => ProjectionEngine.OpenAsync(Change(Options(), o => o.BatchSize = 10_001), ledger.Store));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => ProjectionEngine.OpenAsync(Change(Options(), o => o.PollInterval = TimeSpan.Zero), ledger.Store));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => ProjectionEngine.OpenAsync(Change(Options(), o => o.LockRetryInterval = TimeSpan.Zero), ledger.Store));
        await Should.ThrowAsync<ArgumentException>(() => ProjectionEngine.OpenAsync(Change(Options(), o => o.ConnectionString = " "), ledger.Store));
        (await Should.ThrowAsync<ArgumentException>(() => ProjectionEngine.OpenAsync(Change(Options(), o => o.Engine = "oracle"), ledger.Store)))
            .Message.ShouldContain("Unknown read-model engine 'oracle'");
    }

    private static ProjectionOptions Change(ProjectionOptions options, Action<ProjectionOptions> change)
    {
        change(options);
        return options;
    }
}
