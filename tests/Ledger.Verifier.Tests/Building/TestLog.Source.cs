using System.Runtime.CompilerServices;
using Ledger.Domain.Bundles;

namespace Ledger.Verifier.Tests.Building;

// The IBundleSource side, and bundles made through BundleExport and BundleWriter.
internal sealed partial class TestLog
{
    public async IAsyncEnumerable<BundleSourceEntry> ReadLogAsync(long fromPosition, long toPosition, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var p = fromPosition; p < Math.Min(toPosition, Size); p++)
        {
            ct.ThrowIfCancellationRequested();
            yield return new BundleSourceEntry(p, Entry(p));
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public async IAsyncEnumerable<BundleSourceEntry> ReadStreamAsync(string stream, long beforePosition, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var p in PositionsOf(stream).Where(p => p < beforePosition))
        {
            yield return new BundleSourceEntry(p, Entry(p));
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public async IAsyncEnumerable<BundleSourceCheckpoint> ReadCheckpointsAsync(long fromSize, long toSize, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var c in _checkpoints.Where(c => c.Size >= fromSize && c.Size <= toSize))
        {
            yield return c;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<BundleSourceCheckpoint?> FindCheckpointAsync(long maxSize, CancellationToken ct) =>
        Task.FromResult(_checkpoints.LastOrDefault(c => c.Size <= maxSize));

    public Task<IReadOnlyList<byte[]>> GetInclusionProofAsync(long index, long size, CancellationToken ct) =>
        Task.FromResult(_tree.InclusionProof(index, size));

    public Task<IReadOnlyList<byte[]>> GetConsistencyProofAsync(long size1, long size2, CancellationToken ct) =>
        Task.FromResult(_tree.ConsistencyProof(size1, size2));

    /// <summary>A full bundle of [from, to) (to: the latest checkpoint by default).</summary>
    /// <summary>Attestation texts by digest, as a ledger keeps those its <c>federation.parent-attested.v1</c> records name.</summary>
    public Dictionary<string, string> Attestations { get; } = new(StringComparer.Ordinal);

    public Task<string?> FindAttestationAsync(string digest, CancellationToken ct) => Task.FromResult(Attestations.GetValueOrDefault(digest));

    public async Task<byte[]> FullBundleAsync(long from = 0, long? to = null)
    {
        using var output = new MemoryStream();
        await WriteFullBundleAsync(output, from, to).ConfigureAwait(false);
        return output.ToArray();
    }

    public Task WriteFullBundleAsync(Stream output, long from = 0, long? to = null) =>
        BundleWriter.WriteAsync(output, BundleExport.Full(this, from, to ?? _checkpoints[^1].Size));

    public async Task<byte[]> StreamBundleAsync(string stream)
    {
        using var output = new MemoryStream();
        await BundleWriter.WriteAsync(output, BundleExport.Stream(this, stream, _checkpoints[^1])).ConfigureAwait(false);
        return output.ToArray();
    }

    public async Task<byte[]> LineageBundleAsync(Domain.Executions.ExecutionId root)
    {
        var streams = new List<string> { root.StreamName };
        var queue = new Queue<Domain.Executions.ExecutionId>([root]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var kid in _children.GetValueOrDefault(current) ?? [])
            {
                streams.Add(kid.StreamName);
                queue.Enqueue(kid);
            }
        }

        using var output = new MemoryStream();
        await BundleWriter.WriteAsync(output, BundleExport.Lineage(this, root.Value, streams, _checkpoints[^1])).ConfigureAwait(false);
        return output.ToArray();
    }
}
