using System.Buffers;

namespace Ledger.Domain.Canonical;

/// <summary>
/// A growable byte buffer that, unlike <see cref="ArrayBufferWriter{T}"/>, can be cut back to an
/// earlier length: the canonicalizer writes an object's members as they come, then rewrites that
/// region in key order. Not thread-safe; one instance per canonicalization.
/// </summary>
internal sealed class CanonicalBuffer
{
    private byte[] _bytes;

    public CanonicalBuffer(int capacity)
    {
        _bytes = new byte[Math.Max(capacity, 16)];
    }

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _bytes.AsSpan(0, Length);

    public void Write(byte value)
    {
        Reserve(1)[0] = value;
        Length++;
    }

    public void Write(ReadOnlySpan<byte> value)
    {
        value.CopyTo(Reserve(value.Length));
        Length += value.Length;
    }

    /// <summary>Returns room for at least <paramref name="size"/> bytes; commit with <see cref="Advance"/>.</summary>
    public Span<byte> Reserve(int size)
    {
        if (_bytes.Length - Length < size)
        {
            var grown = new byte[Math.Max(checked(Length + size), checked(_bytes.Length * 2))];
            _bytes.AsSpan(0, Length).CopyTo(grown);
            _bytes = grown;
        }

        return _bytes.AsSpan(Length);
    }

    public void Advance(int count) => Length += count;

    /// <summary>Moves the bytes from <paramref name="start"/> on into <paramref name="destination"/> and cuts the buffer back to <paramref name="start"/>.</summary>
    public void MoveTailTo(int start, Span<byte> destination)
    {
        _bytes.AsSpan(start, Length - start).CopyTo(destination);
        Length = start;
    }

    public byte[] ToArray() => WrittenSpan.ToArray();
}
