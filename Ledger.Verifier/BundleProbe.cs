using System.Text;
using Ledger.Domain.Bundles;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;

namespace Ledger.Verifier;

/// <summary>
/// Reads a peer's full bundle a second time to answer what other ledgers claimed about it: the root of its log at given
/// sizes, and the state of given executions below those sizes (the state a <c>federation.parent-attested.v1</c> says an
/// attestation proved).
/// </summary>
/// <remarks>
/// Only the bundle's own verification (<see cref="BundleVerifier"/>) vouches for its content; the probe answers questions
/// about a bundle that verified. It keeps one compact range and the history of the asked executions only, so its memory
/// is flat in bundle size. It hashes every entry and parses only the entries whose bytes name an asked execution.
/// Not thread-safe.
/// </remarks>
internal sealed class BundleProbe
{
    private readonly HashSet<long> _sizes;
    private readonly Dictionary<string, List<ProbedVersion>> _streams;
    private readonly byte[][] _needles;

    private BundleProbe(IEnumerable<long> sizes, IEnumerable<ExecutionId> executions)
    {
        _sizes = [.. sizes];
        var ids = executions.Distinct().ToList();
        _streams = ids.ToDictionary(e => e.StreamName, _ => new List<ProbedVersion>(), StringComparer.Ordinal);
        _needles = [.. ids.Select(e => Encoding.UTF8.GetBytes(e.StreamName))];
    }

    /// <summary>The root at each asked size the bundle covers (its entries from position 0 up to that size).</summary>
    public Dictionary<long, byte[]> Roots { get; } = [];

    /// <summary>The largest tree size the bundle's entries reach.</summary>
    public long Size { get; private set; }

    /// <summary>Whether the bundle starts at position 0, so that roots could be computed.</summary>
    public bool CoversFromZero { get; private set; }

    /// <summary>Reads <paramref name="bundle"/> and answers for <paramref name="sizes"/> and <paramref name="executions"/>.</summary>
    /// <exception cref="BundleFormatException">The bundle cannot be read (its own verification says so first).</exception>
    public static BundleProbe Read(Stream bundle, IEnumerable<long> sizes, IEnumerable<ExecutionId> executions)
    {
        var probe = new BundleProbe(sizes, executions);
        probe.ReadAll(bundle);
        return probe;
    }

    /// <summary>The asked execution's state as its entries below <paramref name="size"/> fold to, or null when the bundle
    /// holds none of them.</summary>
    public ProbedVersion? StateAt(ExecutionId execution, long size)
    {
        if (!_streams.TryGetValue(execution.StreamName, out var versions))
        {
            return null;
        }

        ProbedVersion? last = null;
        foreach (var version in versions)
        {
            if (version.Position >= size)
            {
                break;
            }

            last = version;
        }

        return last;
    }

    private void ReadAll(Stream bundle)
    {
        using var reader = new BundleReader(bundle, leaveOpen: true);
        var header = (BundleHeader)reader.Read()!;
        CoversFromZero = header.Kind == BundleKind.Full && header.From == 0;
        var range = new CompactRange();
        var position = CoversFromZero ? 0L : -1L;
        while (reader.Read() is { } record)
        {
            if (record is not BundleEntry entry)
            {
                continue;
            }

            var bytes = entry.Canonical.Span;
            if (CoversFromZero)
            {
                range.Append(MerkleHash.HashLeaf(bytes));
                position++;
                if (_sizes.Contains(position))
                {
                    Roots[position] = range.Root();
                }
            }

            if (NamesAskedStream(bytes))
            {
                Fold(bytes);
            }
        }

        Size = CoversFromZero ? position : 0;
    }

    private bool NamesAskedStream(ReadOnlySpan<byte> bytes)
    {
        foreach (var needle in _needles)
        {
            if (bytes.IndexOf(needle) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private void Fold(ReadOnlySpan<byte> bytes)
    {
        LedgerEntry entry;
        try
        {
            entry = LedgerEntry.Parse(bytes);
        }
        catch (FormatException)
        {
            return; // the bundle's own verification reports it
        }

        if (!_streams.TryGetValue(entry.Stream, out var versions)
            || !ExecutionId.TryFromStreamName(entry.Stream, out var id)
            || !ExecutionEventCodec.TryParse(entry.Type, entry.Data, out var @event, out _))
        {
            return;
        }

        var previous = versions.Count == 0 ? ExecutionState.Initial(id) : versions[^1].State;
        versions.Add(new ProbedVersion(entry.Position, entry.StreamVersion, Execution.Evolve(previous, @event, entry.RecordedAt, entry.Domain)));
    }
}

/// <summary>One version of an asked execution in a peer's bundle: where it is and the state its entries fold to.</summary>
/// <param name="Position">The entry's log position.</param>
/// <param name="Version">Its stream version.</param>
/// <param name="State">The execution's state after it.</param>
internal sealed record ProbedVersion(long Position, long Version, ExecutionState State);
