namespace Ledger.Store.Tests.Contract;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task Opening_a_database_twice_applies_migrations_once_and_keeps_the_log()
    {
        var database = await NewDatabaseAsync();
        var first = await EventStoreFactory.OpenAsync(Options(database));
        await AppendedAsync(first, Events("s", 0, "e", 3));
        var root = await first.GetRootAsync(3);
        await first.DisposeAsync();

        var second = await OpenAsync(database);

        (await second.GetTreeSizeAsync()).ShouldBe(3);
        (await second.GetRootAsync(3)).ShouldBe(root);
        var more = await AppendedAsync(second, Events("s", 3, "f", 1));
        more[0].Position.ShouldBe(3);
        await AssertLogIsConsistentAsync(second);
    }

    [Fact]
    public async Task Stores_opening_one_new_database_at_once_all_succeed()
    {
        var database = await NewDatabaseAsync();

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenAsync(database)));

        await AppendedAsync(stores[0], Events("s", 0, "e", 1));
        (await stores[3].GetTreeSizeAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Opening_a_log_with_another_origin_is_refused()
    {
        var database = await NewDatabaseAsync();
        await OpenAsync(database);

        var ex = await Should.ThrowAsync<InvalidOperationException>(() => OpenAsync(database, "ledger.test/other"));

        ex.Message.ShouldContain("'ledger.test/contract', not 'ledger.test/other'");
    }

    [Fact]
    public async Task The_probe_reads_a_stored_origin_without_opening_the_store_and_finds_none_in_a_new_database()
    {
        var database = await NewDatabaseAsync();
        var timeout = TimeSpan.FromSeconds(10);

        (await StoreProbe.StoredOriginAsync(Engine, database, timeout)).ShouldBeNull();
        await AppendedAsync(await OpenAsync(database), Events("s", 0, "e", 1));

        (await StoreProbe.StoredOriginAsync(Engine, database, timeout)).ShouldBe(TestOrigin);
        await ExecuteSqlAsync(database, "UPDATE log_head SET origin = 'ledger.test/renamed' WHERE id = 1");
        (await StoreProbe.StoredOriginAsync(Engine, database, timeout)).ShouldBe("ledger.test/renamed");
    }

    [Fact]
    public async Task Opening_a_database_with_a_newer_schema_is_refused()
    {
        var database = await NewDatabaseAsync();
        await (await EventStoreFactory.OpenAsync(Options(database))).DisposeAsync();
        await ExecuteSqlAsync(database, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '2030-01-01T00:00:00Z')");

        var ex = await Should.ThrowAsync<InvalidOperationException>(() => OpenAsync(database));

        ex.Message.ShouldContain("version 999");
    }

    [Fact]
    public async Task Opening_a_log_whose_stored_root_contradicts_its_tiles_is_refused()
    {
        var database = await NewDatabaseAsync();
        var store = await EventStoreFactory.OpenAsync(Options(database));
        await AppendedAsync(store, Events("s", 0, "e", 5));
        await store.DisposeAsync();
        await ExecuteSqlAsync(database, "UPDATE merkle_tiles SET hashes = " + ZeroHashesSql(5) + " WHERE tile_level = 0 AND tile_index = 0");

        var ex = await Should.ThrowAsync<StoreCorruptedException>(() => OpenAsync(database));

        ex.Message.ShouldContain("differs from the root computed from the stored tiles");
    }

    [Fact]
    public async Task Opening_a_log_with_a_missing_partial_tile_is_refused()
    {
        var database = await NewDatabaseAsync();
        var store = await EventStoreFactory.OpenAsync(Options(database));
        await AppendedAsync(store, Events("s", 0, "e", 5));
        await store.DisposeAsync();
        await ExecuteSqlAsync(database, "DELETE FROM merkle_tiles");

        var ex = await Should.ThrowAsync<StoreCorruptedException>(() => OpenAsync(database));

        ex.Message.ShouldContain("The Merkle tiles are incomplete");
    }

    [Fact]
    public async Task Invalid_options_are_rejected()
    {
        var database = await NewDatabaseAsync();

        await Should.ThrowAsync<ArgumentNullException>(() => EventStoreFactory.OpenAsync(null!));
        await Should.ThrowAsync<ArgumentException>(() => EventStoreFactory.OpenAsync(new StoreOptions { Engine = Engine, ConnectionString = "", Origin = "o" }));
        await Should.ThrowAsync<ArgumentException>(() => EventStoreFactory.OpenAsync(new StoreOptions { Engine = Engine, ConnectionString = database, Origin = " " }));
        var unknown = await Should.ThrowAsync<ArgumentException>(() => EventStoreFactory.OpenAsync(new StoreOptions { Engine = "oracle", ConnectionString = database, Origin = "o" }));
        unknown.Message.ShouldContain("Unknown storage engine 'oracle'");
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => EventStoreFactory.OpenAsync(new StoreOptions { Engine = Engine, ConnectionString = database, Origin = "o", MaxBatchEvents = 0 }));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => EventStoreFactory.OpenAsync(new StoreOptions { Engine = Engine, ConnectionString = database, Origin = "o", PollInterval = TimeSpan.Zero }));
    }

    [Fact]
    public async Task Waiting_for_a_position_already_in_the_log_returns_at_once()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", 0, "e", 3));

        await store.WaitForPositionAsync(2).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Waiting_for_a_position_wakes_up_when_it_is_appended()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", 0, "e", 1));

        var waiting = store.WaitForPositionAsync(2);
        await Task.Delay(100);
        waiting.IsCompleted.ShouldBeFalse();
        await AppendedAsync(store, Events("s", 1, "f", 1));
        waiting.IsCompleted.ShouldBeFalse();
        await AppendedAsync(store, Events("s", 2, "g", 1));

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Waiting_for_a_position_wakes_up_when_another_process_appends_it()
    {
        var database = await NewDatabaseAsync();
        var reader = await OpenAsync(database);
        var writer = await OpenAsync(database);

        var waiting = reader.WaitForPositionAsync(0);
        await Task.Delay(100);
        waiting.IsCompleted.ShouldBeFalse();
        await AppendedAsync(writer, Events("s", 0, "e", 1));

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Waiting_for_a_position_can_be_cancelled()
    {
        var store = await NewStoreAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Should.ThrowAsync<OperationCanceledException>(() => store.WaitForPositionAsync(0, cancel.Token));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.WaitForPositionAsync(-1));
    }

    /// <summary>An SQL literal of <paramref name="count"/> zero hashes, valid on both engines.</summary>
    protected abstract string ZeroHashesSql(int count);
}
