using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Ledger.Domain.Canonical;

/// <summary>
/// Writes a JSON object of known members straight into canonical form (RFC 8785), for the records
/// whose bytes the ledger hashes and signs. The caller names members in canonical order, which is
/// checked: a member out of order is a bug and throws <see cref="InvalidOperationException"/>.
/// Embedded JSON values are canonicalized with <see cref="JsonCanonicalizer"/>'s rules, counting
/// their nesting from where they are embedded, so the result is exactly what
/// <see cref="JsonCanonicalizer.Canonicalize(ReadOnlySpan{byte})"/> would return for the same object.
/// Not thread-safe; one instance per object written.
/// </summary>
internal sealed class CanonicalJsonWriter
{
    private readonly CanonicalBuffer _buffer;
    private readonly Stack<string?> _lastNames = new();

    public CanonicalJsonWriter(int capacity)
    {
        _buffer = new CanonicalBuffer(capacity);
    }

    public void StartObject() => StartObject(null);

    public void StartObject(string? name)
    {
        if (name is not null)
        {
            Name(name);
        }

        if (_lastNames.Count >= JsonCanonicalizer.MaxDepth)
        {
            throw new InvalidOperationException("Objects nested deeper than JsonCanonicalizer.MaxDepth.");
        }

        _buffer.Write((byte)'{');
        _lastNames.Push(null);
    }

    public void EndObject()
    {
        _lastNames.Pop();
        _buffer.Write((byte)'}');
    }

    /// <summary>Writes a string member, or <c>null</c>. The value must be well-formed UTF-16 (an unpaired surrogate throws).</summary>
    public void String(string name, string? value)
    {
        Name(name);
        if (value is null)
        {
            _buffer.Write("null"u8);
        }
        else
        {
            CanonicalString.Write(_buffer, value);
        }
    }

    /// <summary>Writes an integer member; it must be one a double holds exactly (|value| ≤ 2^53).</summary>
    public void Integer(string name, long value)
    {
        if (value is > 1L << 53 or < -(1L << 53))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A JSON number holds integers exactly only up to 2^53 in magnitude.");
        }

        Name(name);
        var written = Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture), _buffer.Reserve(20));
        _buffer.Advance(written);
    }

    public void Null(string name)
    {
        Name(name);
        _buffer.Write("null"u8);
    }

    /// <summary>Writes a member whose value is a JSON value (or <c>null</c>), canonicalized.</summary>
    /// <exception cref="CanonicalJsonException">The value cannot be canonicalized; the offset counts from the start of the value.</exception>
    public void Json(string name, JsonElement? value)
    {
        Name(name);
        if (value is null)
        {
            _buffer.Write("null"u8);
            return;
        }

        try
        {
            JsonCanonicalizer.Canonicalize(JsonMarshal.GetRawUtf8Value(value.Value), _buffer, enclosingDepth: _lastNames.Count);
        }
        catch (CanonicalJsonException e)
        {
            throw new CanonicalJsonException(
                e.Error,
                e.ByteOffset,
                $"{e.Detail} (in member \"{name}\"; the offset counts from the start of its value)",
                e);
        }
    }

    public byte[] ToArray()
    {
        if (_lastNames.Count != 0)
        {
            throw new InvalidOperationException("An object is still open.");
        }

        return _buffer.ToArray();
    }

    private void Name(string name)
    {
        if (_lastNames.Count == 0)
        {
            throw new InvalidOperationException("Members can only be written inside an object.");
        }

        var last = _lastNames.Pop();
        if (last is not null)
        {
            if (string.CompareOrdinal(last, name) >= 0)
            {
                throw new InvalidOperationException($"Member \"{name}\" written after \"{last}\": members must come in canonical (UTF-16 code unit) order.");
            }

            _buffer.Write((byte)',');
        }

        _lastNames.Push(name);
        CanonicalString.Write(_buffer, name);
        _buffer.Write((byte)':');
    }
}
