using Ledger.Domain.Notes;
using Ledger.Store.Witnessing;

namespace Ledger.Store;

internal sealed partial class EventStore
{
    public async Task<bool> AddCosignatureAsync(long size, string witness, string signatureLine, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentException.ThrowIfNullOrEmpty(witness);
        ArgumentException.ThrowIfNullOrEmpty(signatureLine);
        if (signatureLine.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A signature line holds no newline.", nameof(signatureLine));
        }

        if (!SignedNote.TryParse("-\n\n" + signatureLine + "\n", out _, out var error))
        {
            throw new ArgumentException("Not a signed-note signature line: " + error, nameof(signatureLine));
        }

        if (await _engine.GetCheckpointAsync(size, ct).ConfigureAwait(false) is null)
        {
            throw new ArgumentException($"No checkpoint of size {size} is stored.", nameof(size));
        }

        return await _engine.InsertCosignatureAsync(size, witness, signatureLine, TruncateToMicroseconds(_options.TimeProvider.GetUtcNow()), ct).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<StoredCosignature>> ListCosignaturesAsync(long fromSize, long toSize, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(fromSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(toSize, fromSize);
        return _engine.ReadCosignaturesAsync(fromSize, toSize, ct);
    }

    public Task<IReadOnlyDictionary<string, long>> GetCosignedSizesAsync(CancellationToken ct = default)
    {
        ThrowIfDisposed();
        return _engine.ReadCosignedSizesAsync(ct);
    }

    /// <summary>The checkpoints with the cosignature lines kept for them appended to their notes (log signature first).</summary>
    private async Task<IReadOnlyList<StoredCheckpoint>> WithCosignaturesAsync(IReadOnlyList<StoredCheckpoint> checkpoints, CancellationToken ct)
    {
        var cosignatures = await _engine.ReadCosignaturesAsync(checkpoints.Min(c => c.Size), checkpoints.Max(c => c.Size), ct).ConfigureAwait(false);
        if (cosignatures.Count == 0)
        {
            return checkpoints;
        }

        var bySize = cosignatures.ToLookup(c => c.Size);
        return [.. checkpoints.Select(c => bySize.Contains(c.Size) ? c with { SignedNote = Merge(c.SignedNote, bySize[c.Size]) } : c)];
    }

    private static string Merge(string note, IEnumerable<StoredCosignature> cosignatures)
    {
        var lines = note.Split('\n');
        var present = new HashSet<string>(lines, StringComparer.Ordinal);
        var merged = note;
        foreach (var cosignature in cosignatures)
        {
            if (present.Add(cosignature.SignatureLine))
            {
                merged += cosignature.SignatureLine + "\n";
            }
        }

        return merged;
    }
}
