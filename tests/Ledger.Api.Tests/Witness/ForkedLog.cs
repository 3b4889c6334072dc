using System.Text.Json;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;
using Ledger.Domain.Witnessing;
using Ledger.Store;

namespace Ledger.Api.Tests.Witness;

/// <summary>
/// One branch of a forked ledger: a real store of its own with the ledger's origin, signing with the same log key as
/// the other branch, so that both branches' checkpoints verify under the one configured key.
/// </summary>
public sealed class ForkedLog(IEventStore store, NoteSigner signer) : IAsyncDisposable
{
    public IEventStore Store { get; } = store;

    /// <summary>Appends <paramref name="count"/> events with ids <c>{label}-…</c>.</summary>
    public async Task AppendAsync(string label, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var statement = new EmitterStatement(
                "fork-stream", $"{label}-{i}", "test.happened.v1", "domain-a", "emitter-a", null, JsonSerializer.SerializeToElement(new { label, i }), null);
            var result = await Store.AppendAsync(new AppendRequest("fork-stream", AppendRequest.AnyVersion, DateTimeOffset.UtcNow, [new ProposedEvent(statement, null)]));
            result.ShouldBeOfType<AppendResult.Appended>();
        }
    }

    public async Task<string> CheckpointAsync(long size) =>
        new Checkpoint(Store.Origin, size, await Store.GetRootAsync(size)).Sign(signer).Format();

    public async Task<string> BodyAsync(long from, long to)
    {
        IReadOnlyList<byte[]> proof = from == 0 || from == to ? [] : await Store.GetConsistencyProofAsync(from, to);
        return AddCheckpointRequest.Format(from, proof, await CheckpointAsync(to));
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
