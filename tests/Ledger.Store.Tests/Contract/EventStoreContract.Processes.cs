namespace Ledger.Store.Tests.Contract;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task Two_processes_appending_at_once_leave_one_gap_free_log_holding_every_acknowledged_append()
    {
        var database = await NewDatabaseAsync();
        using var first = LoadDriverProcess.Start(Engine, database, TestOrigin, "a", writers: 4, appends: 40, events: 2);
        using var second = LoadDriverProcess.Start(Engine, database, TestOrigin, "b", writers: 4, appends: 40, events: 2);

        await Task.WhenAll(first.CompleteAsync(TimeSpan.FromMinutes(3)), second.CompleteAsync(TimeSpan.FromMinutes(3)));

        var store = await OpenAsync(database);
        var entries = await AssertLogIsConsistentAsync(store);
        entries.Count.ShouldBe(2 * 4 * 40 * 2);
        AssertAcknowledgedAppendsArePresent(entries, [.. first.Acks, .. second.Acks]);
        first.Acks.Count.ShouldBe(160);
        second.Acks.Count.ShouldBe(160);
    }

    [Fact]
    public async Task A_process_killed_mid_load_loses_no_acknowledged_append_and_leaves_no_partial_append()
    {
        var database = await NewDatabaseAsync();
        using var driver = LoadDriverProcess.Start(Engine, database, TestOrigin, "k", writers: 8, appends: 1_000_000, events: 4);
        await driver.WaitForAcksAsync(400, TimeSpan.FromMinutes(2));

        await driver.KillAsync();

        var acks = driver.Acks;
        var store = await OpenAsync(database);
        var entries = await AssertLogIsConsistentAsync(store);
        AssertAcknowledgedAppendsArePresent(entries, acks);

        // All or nothing: every append that reached the log did so with all four events, contiguously.
        foreach (var append in entries.GroupBy(e => e.EventId[..e.EventId.LastIndexOf('-')]))
        {
            append.Count().ShouldBe(4, append.Key);
            var positions = append.Select(e => e.Position).Order().ToList();
            (positions[^1] - positions[0]).ShouldBe(3, append.Key);
        }

        // The log is writable again after the crash.
        await AppendedAsync(store, Events("after-crash", 0, "after", 2));
        await AssertLogIsConsistentAsync(store);
    }

    private static void AssertAcknowledgedAppendsArePresent(List<Ledger.Domain.Log.LedgerEntry> entries, IReadOnlyList<LoadDriverProcess.Acknowledged> acks)
    {
        var byEventId = entries.ToDictionary(e => e.EventId, StringComparer.Ordinal);
        acks.ShouldNotBeEmpty();
        foreach (var ack in acks)
        {
            for (var n = 0; n < ack.Count; n++)
            {
                byEventId.TryGetValue(ack.RequestId + "-" + n, out var entry).ShouldBeTrue($"acknowledged {ack.RequestId} event {n} is missing");
                entry!.Position.ShouldBe(ack.FirstPosition + n);
            }
        }
    }
}
