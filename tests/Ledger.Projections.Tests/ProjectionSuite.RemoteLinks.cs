using Ledger.Projections.Reading;
using Ledger.Projections.Storage;
using Ledger.Store;

namespace Ledger.Projections.Tests;

public abstract partial class ProjectionSuite
{
    [Fact]
    public async Task The_open_remote_links_of_a_peer_are_those_not_ended_and_a_later_end_closes_one()
    {
        var ledger = await NewLedgerAsync();
        var models = ledger.Engine.ReadModels;
        var at = DateTimeOffset.UnixEpoch.AddDays(20_000);
        LineageLink Link(string peer, string child, string status) => new(peer, child, status, at, 10, "digest-" + child);

        await models.RecordRemoteLinksAsync(
        [
            ("p-1", Link("peer-a", "c-running", "running")),
            ("p-1", Link("peer-a", "c-done", "completed")),
            ("p-2", Link("peer-a", "c-denied", "denied")),
            ("p-2", Link("peer-a", "c-halted", "halted")),
            ("p-2", Link("peer-a", "c-intent", "intent")),
            ("p-3", Link("peer-b", "c-other", "running")),
        ]);

        (await models.ListOpenRemoteLinksAsync("peer-a")).ShouldBe(["c-intent", "c-running"]);
        (await models.ListOpenRemoteLinksAsync("peer-b")).ShouldBe(["c-other"]);
        (await models.ListOpenRemoteLinksAsync("peer-c")).ShouldBeEmpty();

        await models.RecordRemoteLinksAsync([("p-1", Link("peer-a", "c-running", "halted") with { AttestedAt = at.AddMinutes(1), CheckpointSize = 11 })]);

        (await models.ListOpenRemoteLinksAsync("peer-a")).ShouldBe(["c-intent"]);
    }

    [Fact]
    public async Task Listing_open_remote_links_reads_the_partial_index_not_the_ended_links()
    {
        var ledger = await NewLedgerAsync();
        await using var connection = await ledger.Engine.Database.OpenAsync(CancellationToken.None);
        var sql = ReadModels.OpenRemoteLinksSql.Replace("@l", "'peer-a'", StringComparison.Ordinal);
        if (Engine == StoreOptions.Postgres)
        {
            // An empty table is cheapest to scan; the planner is told not to, so that the plan shows whether the index applies.
            await Sql.ExecuteAsync(connection, null, "SET enable_seqscan = off", CancellationToken.None);
        }

        await using var command = Sql.Command(connection, null, (Engine == StoreOptions.Postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql);
        await using var reader = await command.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(reader.FieldCount - 1));
        }

        string.Join("\n", plan).ShouldContain("proj_remote_links_open");
    }
}
