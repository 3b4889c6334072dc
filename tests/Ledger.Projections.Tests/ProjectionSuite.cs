using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;
using Ledger.Projections.Engine;
using Ledger.Projections.Tests.Infrastructure;
using Ledger.Projections.Tests.Workload;
using Ledger.Store;

namespace Ledger.Projections.Tests;

/// <summary>
/// The projection tests, run on each engine (<see cref="SqliteProjectionTests"/>, <see cref="PostgresProjectionTests"/>)
/// against a generated multi-cloud workload appended straight to the store.
/// </summary>
public abstract partial class ProjectionSuite : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    protected abstract string Engine { get; }

    /// <summary>A new, empty database for a store.</summary>
    protected abstract Task<string> NewStoreDatabaseAsync();

    /// <summary>Where the read models of a store live as the API places them (PostgreSQL: the same database; SQLite: a file of their own).</summary>
    protected abstract string ProjectionsDatabaseFor(string storeDatabase);

    /// <summary>A new, empty database for a second set of read models over the same store (a reference run).</summary>
    protected abstract Task<string> NewProjectionsDatabaseAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }

    protected async Task<IEventStore> OpenStoreAsync(string database) =>
        Own(await EventStoreFactory.OpenAsync(new StoreOptions { Engine = Engine, ConnectionString = database, Origin = Workload.Workload.Origin }));

    /// <summary>An engine whose transactions hold <paramref name="batch"/> entries (<paramref name="catchUp"/> when catching up or rebuilding; the same by default).</summary>
    protected async Task<ProjectionEngine> OpenEngineAsync(IEventStore store, string database, int batch = 1000, int? catchUp = null) =>
        Own(await ProjectionEngine.OpenAsync(
            new ProjectionOptions
            {
                Engine = Engine, ConnectionString = database, BatchSize = batch, CatchUpBatchSize = catchUp ?? batch, PollInterval = TimeSpan.FromMilliseconds(50),
            },
            store));

    protected async Task<Ledger> NewLedgerAsync(int batch = 1000, int? catchUp = null)
    {
        var storeDatabase = await NewStoreDatabaseAsync();
        var store = await OpenStoreAsync(storeDatabase);
        var projections = ProjectionsDatabaseFor(storeDatabase);
        return new Ledger(store, await OpenEngineAsync(store, projections, batch, catchUp), storeDatabase, projections);
    }

    /// <summary>The read models a fresh engine builds from the whole log in one go.</summary>
    protected async Task<IReadOnlyList<string>> ReferenceDumpAsync(IEventStore store)
    {
        var engine = await OpenEngineAsync(store, await NewProjectionsDatabaseAsync());
        await engine.CatchUpAsync();
        return await ReadModelDump.TakeAsync(engine);
    }

    protected NoteSigner NewSigner()
    {
        var signer = NoteSigner.Create(Workload.Workload.Origin, SigningKey.GenerateEcdsaP256());
        _owned.Add(new DisposeLater(signer));
        return signer;
    }

    /// <summary>Appends <paramref name="chunks"/> chunks of the workload, projecting after each, with a checkpoint and proofs every other chunk.</summary>
    protected async Task<Workload.Workload> RunWorkloadAsync(Ledger ledger, int chunks, int eventsPerChunk, int seed)
    {
        var workload = new Workload.Workload(ledger.Store, seed);
        var signer = NewSigner();
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            await workload.AppendAsync(eventsPerChunk);
            if (chunk % 2 == 1)
            {
                await workload.CheckpointAndProveAsync(signer);
            }

            await ledger.Engine.CatchUpAsync();
        }

        return workload;
    }

    private T Own<T>(T value)
        where T : IAsyncDisposable
    {
        _owned.Add(value);
        return value;
    }

    protected sealed record Ledger(IEventStore Store, ProjectionEngine Engine, string StoreDatabase, string ProjectionsDatabase);

    private sealed class DisposeLater(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
