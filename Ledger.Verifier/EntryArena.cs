using System.Buffers;

namespace Ledger.Verifier;

/// <summary>
/// The bytes of one batch's entry lines, copied into a few large pooled buffers instead of one array per entry, and
/// given back to the pool when the batch has been checked.
/// </summary>
/// <remarks>
/// Why: a 10^6-entry bundle otherwise allocates and zeroes half a gigabyte of short-lived arrays, and the collector's
/// work and page faults then cost more CPU than hashing the entries (measured with <c>perf</c> on the hashes-only run).
/// Nothing may keep an entry's bytes after its batch is checked: parsed entries copy what they keep.
/// Not thread-safe: filled by the reading thread, read by the preparing threads after it, returned by the checking thread.
/// </remarks>
internal sealed class EntryArena : IDisposable
{
    private const int ChunkBytes = 1024 * 1024;

    private readonly List<byte[]> _rented = [];
    private byte[]? _chunk;
    private int _used;

    /// <summary>Copies <paramref name="line"/> and returns the copy.</summary>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> line)
    {
        if (_chunk is null || _chunk.Length - _used < line.Length)
        {
            _chunk = ArrayPool<byte>.Shared.Rent(Math.Max(ChunkBytes, line.Length));
            _rented.Add(_chunk);
            _used = 0;
        }

        var copy = _chunk.AsMemory(_used, line.Length);
        line.CopyTo(copy.Span);
        _used += line.Length;
        return copy;
    }

    /// <summary>Gives the buffers back; the copies handed out must no longer be read.</summary>
    public void Dispose()
    {
        foreach (var chunk in _rented)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        _rented.Clear();
        _chunk = null;
    }
}
