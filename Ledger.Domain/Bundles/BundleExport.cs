using System.Globalization;
using System.Runtime.CompilerServices;
using Ledger.Domain.Emitters;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;
using Ledger.Domain.Parameters;

namespace Ledger.Domain.Bundles;

/// <summary>
/// Produces the records of a bundle, in the order docs/FORMAT.md §7 prescribes, from an <see cref="IBundleSource"/>:
/// pass the result to <see cref="BundleWriter.WriteAsync(Stream, IAsyncEnumerable{BundleRecord}, CancellationToken)"/>.
/// </summary>
/// <remarks>
/// <para>Lazy and streaming: entries are read from the source as the writer consumes them; memory is one entry and
/// one proof at a time, plus one enumerator per exported stream for partial exports. Validate the request first
/// with <see cref="CheckFullAsync"/> / <see cref="LatestCheckpointAsync"/>, so an error is answered before the
/// bundle starts.</para>
/// <para>Every bundle carries the <c>$ledger</c>, <c>$emitters</c> and <c>$governance</c> entries its replay needs: a full bundle from
/// position 0 has them in its range; one from a later position carries those before it as context entries proved
/// against the frontier; a partial bundle carries those below its checkpoint, proved against it. Stateless and
/// thread-safe (each enumeration is independent).</para>
/// </remarks>
public static class BundleExport
{
    /// <summary>The streams whose entries every bundle carries for replay: ledger parameters, the emitter registry and the
    /// governance publications (a governance claim is decided against them).</summary>
    public static IReadOnlyList<string> ContextStreams { get; } = [LedgerParameters.StreamName, EmitterRegistry.StreamName, Publications.GovernanceBook.StreamName];

    /// <summary>Null when a full export of [<paramref name="from"/>, <paramref name="to"/>) can be made, otherwise why not.</summary>
    /// <remarks><paramref name="to"/> must be the size of a signed checkpoint, so that everything exported is signed for.</remarks>
    public static async Task<string?> CheckFullAsync(IBundleSource source, long from, long to, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (from < 0 || to < from || to > BundleFormat.MaxInteger)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the range [{from}, {to}) is not 0 <= from <= to");
        }

        var last = await source.FindCheckpointAsync(to, ct).ConfigureAwait(false);
        return last?.Size == to
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"a full export ends at the size of a signed checkpoint; there is none of size {to} (the largest at or below it is {(last is null ? "none" : last.Size.ToString(CultureInfo.InvariantCulture))})");
    }

    /// <summary>The latest signed checkpoint, against which partial exports are proved; null when the log has none yet.</summary>
    public static Task<BundleSourceCheckpoint?> LatestCheckpointAsync(IBundleSource source, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.FindCheckpointAsync(BundleFormat.MaxInteger, ct);
    }

    /// <summary>
    /// The records of a full export of positions [<paramref name="from"/>, <paramref name="to"/>): header; the latest
    /// checkpoint at or below <paramref name="from"/> (if any); for <paramref name="from"/> &gt; 0 the frontier and the
    /// context entries before <paramref name="from"/>, each after its inclusion proof; then every entry of the range,
    /// each checkpoint of the range right after the entry that completes its tree, preceded by the consistency proof
    /// from the previous checkpoint.
    /// </summary>
    /// <exception cref="InvalidOperationException">(When enumerated) <see cref="CheckFullAsync"/> would have refused the range.</exception>
    public static async IAsyncEnumerable<BundleRecord> Full(IBundleSource source, long from, long to, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (await CheckFullAsync(source, from, to, ct).ConfigureAwait(false) is { } problem)
        {
            throw new InvalidOperationException("Cannot export: " + problem + ".");
        }

        yield return BundleHeader.Full(source.Origin, from, to);
        var prior = await source.FindCheckpointAsync(from, ct).ConfigureAwait(false);
        var previousSize = 0L;
        if (prior is not null)
        {
            yield return new BundleCheckpoint(prior.SignedNote);
            previousSize = prior.Size;
        }

        if (from > 0)
        {
            yield return await FrontierAsync(source, from, ct).ConfigureAwait(false);
            await foreach (var entry in Merge(source, ContextStreams, from, ct).ConfigureAwait(false))
            {
                var proof = await source.GetInclusionProofAsync(entry.Position, from, ct).ConfigureAwait(false);
                yield return new BundleInclusion(entry.Position, from, proof);
                yield return new BundleEntry(entry.Canonical);
            }
        }

        await using var checkpoints = source.ReadCheckpointsAsync(from + 1, to, ct).GetAsyncEnumerator(ct);
        var next = await checkpoints.MoveNextAsync().ConfigureAwait(false) ? checkpoints.Current : null;
        var expected = from;
        await foreach (var entry in source.ReadLogAsync(from, to, ct).ConfigureAwait(false))
        {
            if (entry.Position != expected)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The source yielded position {entry.Position} where {expected} was due."));
            }

            yield return new BundleEntry(entry.Canonical);
            expected++;
            while (next is not null && next.Size == expected)
            {
                if (previousSize > 0)
                {
                    var proof = await source.GetConsistencyProofAsync(previousSize, next.Size, ct).ConfigureAwait(false);
                    yield return new BundleConsistency(previousSize, next.Size, proof);
                }

                yield return new BundleCheckpoint(next.SignedNote);
                previousSize = next.Size;
                next = await checkpoints.MoveNextAsync().ConfigureAwait(false) ? checkpoints.Current : null;
            }
        }

        if (expected != to)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The source yielded entries up to position {expected}; the export runs to {to}."));
        }
    }

    /// <summary>
    /// The records of a partial export of one stream against <paramref name="checkpoint"/> (normally
    /// <see cref="LatestCheckpointAsync"/>): header, the checkpoint, then the stream's entries below its size merged in
    /// position order with the context entries, each after its inclusion proof.
    /// </summary>
    public static IAsyncEnumerable<BundleRecord> Stream(IBundleSource source, string stream, BundleSourceCheckpoint checkpoint, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        return Partial(source, BundleHeader.ForStream(source.Origin, stream), [stream], checkpoint, ct);
    }

    /// <summary>
    /// The records of a partial export of the lineage tree rooted at <paramref name="rootExecutionId"/>: as
    /// <see cref="Stream"/>, for every stream in <paramref name="streams"/> (the tree's executions, root included).
    /// </summary>
    public static IAsyncEnumerable<BundleRecord> Lineage(IBundleSource source, string rootExecutionId, IReadOnlyList<string> streams, BundleSourceCheckpoint checkpoint, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(rootExecutionId);
        ArgumentNullException.ThrowIfNull(streams);
        return Partial(source, BundleHeader.ForLineage(source.Origin, rootExecutionId), streams, checkpoint, ct);
    }

    private static async IAsyncEnumerable<BundleRecord> Partial(
        IBundleSource source, BundleHeader header, IReadOnlyList<string> streams, BundleSourceCheckpoint checkpoint, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        yield return header;
        yield return new BundleCheckpoint(checkpoint.SignedNote);
        var all = streams.Concat(ContextStreams).Distinct(StringComparer.Ordinal).ToList();
        await foreach (var entry in Merge(source, all, checkpoint.Size, ct).ConfigureAwait(false))
        {
            // A lineage bundle carries the attestation each cross-ledger record rests on, when the ledger kept it (§7.3).
            if (header.Kind == BundleKind.Lineage && AttestationDigestOf(entry) is { } digest
                && await source.FindAttestationAsync(digest, ct).ConfigureAwait(false) is { } text)
            {
                yield return new BundleAttestation(text);
            }

            var proof = await source.GetInclusionProofAsync(entry.Position, checkpoint.Size, ct).ConfigureAwait(false);
            yield return new BundleInclusion(entry.Position, checkpoint.Size, proof);
            yield return new BundleEntry(entry.Canonical);
        }
    }

    /// <summary>
    /// The attestation digest a ledger-authored <c>federation.parent-attested.v1</c> or <c>federation.governance-attested.v1</c>
    /// entry names; null for any other entry.
    /// </summary>
    private static string? AttestationDigestOf(BundleSourceEntry entry)
    {
        if (entry.Canonical.Span.IndexOf("\"type\":\"federation.parent-attested.v1\""u8) < 0
            && entry.Canonical.Span.IndexOf("\"type\":\"federation.governance-attested.v1\""u8) < 0)
        {
            return null;
        }

        var parsed = LedgerEntry.ParseTrusted(entry.Canonical.Span);
        if (parsed.Emitter != BundleFormat.LedgerEmitter || !ExecutionEventCodec.TryParse(parsed.Type, parsed.Data, out var @event, out _))
        {
            return null;
        }

        return @event switch
        {
            ParentAttested attested => attested.AttestationDigest,
            GovernanceAttested governance => governance.AttestationDigest,
            _ => null,
        };
    }

    private static async Task<BundleFrontier> FrontierAsync(IBundleSource source, long size, CancellationToken ct)
    {
        BundleSourceEntry? last = null;
        await foreach (var entry in source.ReadLogAsync(size - 1, size, ct).ConfigureAwait(false))
        {
            last = entry;
        }

        if (last is null || last.Position != size - 1)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The source has no entry at position {size - 1}."));
        }

        var proof = await source.GetInclusionProofAsync(size - 1, size, ct).ConfigureAwait(false);
        return BundleFrontier.FromLastLeaf(size, MerkleHash.HashLeaf(last.Canonical.Span), proof);
    }

    /// <summary>The entries of several streams below <paramref name="before"/>, merged in position order (each position once).</summary>
    private static async IAsyncEnumerable<BundleSourceEntry> Merge(
        IBundleSource source, IReadOnlyList<string> streams, long before, [EnumeratorCancellation] CancellationToken ct)
    {
        var heads = new PriorityQueue<IAsyncEnumerator<BundleSourceEntry>, long>();
        var opened = new List<IAsyncEnumerator<BundleSourceEntry>>();
        try
        {
            foreach (var stream in streams)
            {
                var enumerator = source.ReadStreamAsync(stream, before, ct).GetAsyncEnumerator(ct);
                opened.Add(enumerator);
                if (await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    heads.Enqueue(enumerator, enumerator.Current.Position);
                }
            }

            var last = -1L;
            while (heads.TryDequeue(out var enumerator, out _))
            {
                var entry = enumerator.Current;
                if (entry.Position > last)
                {
                    yield return entry;
                    last = entry.Position;
                }

                if (await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    heads.Enqueue(enumerator, enumerator.Current.Position);
                }
            }
        }
        finally
        {
            foreach (var enumerator in opened)
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
