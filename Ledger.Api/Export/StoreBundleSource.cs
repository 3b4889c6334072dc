using System.Runtime.CompilerServices;
using Ledger.Domain.Bundles;
using Ledger.Store;

namespace Ledger.Api.Export;

/// <summary>Serves the bundle writer from the event store: entries, checkpoints and proofs, streamed; only the
/// checkpoints <paramref name="accept"/> accepts (all when it is null).</summary>
public sealed class StoreBundleSource(IEventStore store, Func<StoredCheckpoint, bool>? accept = null) : IBundleSource
{
    private const int Page = 1000;

    public string Origin => store.Origin;

    public async IAsyncEnumerable<BundleSourceEntry> ReadLogAsync(long fromPosition, long toPosition, [EnumeratorCancellation] CancellationToken ct)
    {
        var next = fromPosition;
        while (next < toPosition)
        {
            var limit = (int)Math.Min(Page, toPosition - next);
            var read = 0;
            await foreach (var entry in store.ReadLogAsync(next, limit, ct).ConfigureAwait(false))
            {
                yield return new BundleSourceEntry(entry.Position, entry.Entry);
                next = entry.Position + 1;
                read++;
            }

            if (read == 0)
            {
                yield break;
            }
        }
    }

    public async IAsyncEnumerable<BundleSourceEntry> ReadStreamAsync(string stream, long beforePosition, [EnumeratorCancellation] CancellationToken ct)
    {
        var version = 1L;
        while (true)
        {
            var page = await store.ReadStreamAsync(stream, version, ReadDirection.Forward, Page, ct).ConfigureAwait(false);
            foreach (var entry in page)
            {
                if (entry.Position >= beforePosition)
                {
                    yield break;
                }

                yield return new BundleSourceEntry(entry.Position, entry.ToCanonicalBytes());
                version = entry.StreamVersion + 1;
            }

            if (page.Count < Page)
            {
                yield break;
            }
        }
    }

    public async IAsyncEnumerable<BundleSourceCheckpoint> ReadCheckpointsAsync(long fromSize, long toSize, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var checkpoint in await store.ListCheckpointsAsync(fromSize, toSize, ct).ConfigureAwait(false))
        {
            if (accept is not null && !accept(checkpoint))
            {
                continue;
            }

            yield return new BundleSourceCheckpoint(checkpoint.Size, checkpoint.SignedNote);
        }
    }

    public async Task<BundleSourceCheckpoint?> FindCheckpointAsync(long maxSize, CancellationToken ct)
    {
        var latest = await store.GetLatestCheckpointAsync(ct).ConfigureAwait(false);
        if (latest is null)
        {
            return null;
        }

        if (latest.Size <= maxSize && (accept is null || accept(latest)))
        {
            return new BundleSourceCheckpoint(latest.Size, latest.SignedNote);
        }

        var below = (await store.ListCheckpointsAsync(0, Math.Min(maxSize, latest.Size), ct).ConfigureAwait(false))
            .Where(c => accept is null || accept(c)).ToList();
        return below.Count == 0 ? null : new BundleSourceCheckpoint(below[^1].Size, below[^1].SignedNote);
    }

    public Task<IReadOnlyList<byte[]>> GetInclusionProofAsync(long index, long size, CancellationToken ct) =>
        store.GetInclusionProofAsync(index, size, ct);

    public Task<IReadOnlyList<byte[]>> GetConsistencyProofAsync(long size1, long size2, CancellationToken ct) =>
        store.GetConsistencyProofAsync(size1, size2, ct);

    public Task<string?> FindAttestationAsync(string digest, CancellationToken ct) => store.ReadAttestationAsync(digest, ct);
}
