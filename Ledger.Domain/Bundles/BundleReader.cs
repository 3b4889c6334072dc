using System.Globalization;

namespace Ledger.Domain.Bundles;

/// <summary>Copies an entry line's bytes (without its newline) to memory the caller keeps; see <see cref="BundleReader.CopyEntry"/>.</summary>
/// <param name="line">The line, valid only during the call.</param>
public delegate ReadOnlyMemory<byte> EntryCopier(ReadOnlySpan<byte> line);

/// <summary>
/// Reads a bundle record by record from a stream, in constant memory, strictly: the version line, the header, each
/// record in an order the format allows, and the trailer followed by the end of the input. Anything else throws
/// <see cref="BundleFormatException"/> naming the line.
/// </summary>
/// <remarks>
/// <para>Memory: one buffer that holds the longest line read so far (at most <see cref="BundleFormat.MaxLineBytes"/>
/// + 1 bytes; a longer line is refused as soon as that many bytes arrive without a newline) and each record as
/// returned. Record lines are parsed and must be canonical JSON with exactly their members. Entry lines are only
/// framed: a line starting with <c>{"data":</c> is an entry, and so is, where the grammar expects an entry, any line
/// that is not a record at all, so that a damaged entry reaches the verifier, which reports it at its position.</para>
/// <para>Not thread-safe. The reader owns the stream unless <c>leaveOpen</c> is set.</para>
/// </remarks>
public sealed class BundleReader : IDisposable
{
    // Large reads: one system call per megabyte of a bundle, not per 64 KiB.
    private const int InitialBuffer = 1024 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _maxLineBytes;
    private byte[] _buffer = new byte[InitialBuffer];
    private int _start;
    private int _end;
    private int _scanned;
    private long _consumed;
    private bool _eof;
    private BundleGrammar? _grammar;
    private bool _done;

    /// <summary>Creates a reader over <paramref name="stream"/>.</summary>
    /// <param name="stream">The bundle, read forward once.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves the stream open.</param>
    /// <param name="maxLineBytes">The longest line accepted, newline excluded.</param>
    public BundleReader(Stream stream, bool leaveOpen = false, int maxLineBytes = BundleFormat.MaxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 64);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLineBytes, Array.MaxLength - 1);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>The header, once the first record has been read.</summary>
    public BundleHeader? Header { get; private set; }

    /// <summary>The 1-based number of the last line read (0 before any).</summary>
    public long LineNumber { get; private set; }

    /// <summary>The byte offset of the start of the last line read.</summary>
    public long LineOffset { get; private set; }

    /// <summary>Bytes of the bundle consumed so far (the lines read, newlines included).</summary>
    public long BytesRead => _consumed;

    /// <summary>Entry lines read so far.</summary>
    public long Entries { get; private set; }

    /// <summary>Checkpoint records read so far.</summary>
    public long Checkpoints { get; private set; }

    /// <summary>
    /// Where an entry line's bytes are copied to. By default each entry gets a new array; a caller that reads many
    /// entries and is done with them batch by batch can hand out slices of buffers it reuses instead.
    /// </summary>
    public EntryCopier? CopyEntry { get; set; }

    /// <summary>Whether the entry just returned was announced by an inclusion record (a proved entry).</summary>
    public bool LastEntryWasProved { get; private set; }

    /// <summary>
    /// Reads the next record: the header first, the trailer last, then null. The entries' bytes are copies the caller keeps.
    /// </summary>
    /// <exception cref="BundleFormatException">The input is not a readable bundle here.</exception>
    /// <exception cref="IOException">The stream failed.</exception>
    public BundleRecord? Read()
    {
        if (_done)
        {
            return null;
        }

        if (_grammar is null)
        {
            return ReadStart();
        }

        if (!TryReadLine(out var line))
        {
            throw Fail(string.Create(CultureInfo.InvariantCulture,
                $"the bundle ends after line {LineNumber} without its trailer record (truncated)"));
        }

        // An entry line starts with {"data":. Where the grammar expects an entry, a line that is not a record is read
        // as an entry, damaged or not: the verifier then reports it at its position instead of giving up.
        BundleRecord record;
        if (line.StartsWith(BundleFormat.EntryPrefix) || _grammar.ExpectsProvedEntry)
        {
            record = new BundleEntry(Copy(line));
        }
        else
        {
            record = Decode(line, _grammar.AllowsUnprovedEntry);
        }

        var proved = _grammar.ExpectsProvedEntry;
        if (_grammar.Accept(record) is { } problem)
        {
            throw Fail(problem);
        }

        switch (record)
        {
            case BundleEntry:
                Entries++;
                LastEntryWasProved = proved;
                break;
            case BundleCheckpoint:
                Checkpoints++;
                break;
            case BundleTrailer:
                _done = true;
                if (_start < _end || !FillToEnd())
                {
                    throw Fail("there are bytes after the trailer record; the trailer is the last line");
                }

                break;
            default:
                break;
        }

        return record;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private BundleHeader ReadStart()
    {
        if (!TryReadLine(out var first))
        {
            throw new BundleFormatException(1, 0, "the input is empty: not a ledger bundle");
        }

        try
        {
            BundleCodec.DecodeVersion(first);
        }
        catch (FormatException e)
        {
            throw Fail(e.Message);
        }

        if (!TryReadLine(out var second))
        {
            throw Fail("the bundle ends after its version line (truncated): line 2 is the header");
        }

        if (Decode(second, entryAllowed: false) is not BundleHeader header)
        {
            throw Fail("line 2 is the header record");
        }

        Header = header;
        _grammar = new BundleGrammar(header);
        return header;
    }

    private BundleRecord Decode(ReadOnlySpan<byte> line, bool entryAllowed)
    {
        try
        {
            return BundleCodec.Decode(line);
        }
        catch (BundleCodec.NotARecordException) when (entryAllowed)
        {
            return new BundleEntry(Copy(line));
        }
        catch (FormatException e)
        {
            throw Fail(e.Message);
        }
        catch (ArgumentException e)
        {
            throw Fail(e.Message);
        }
    }

    private ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> line) => CopyEntry is { } copy ? copy(line) : line.ToArray();

    private BundleFormatException Fail(string problem) => new(LineNumber, LineOffset, problem);

    /// <summary>The next line without its newline; false at the clean end of the input.</summary>
    private bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = _scanned + newline - _start;
                LineNumber++;
                LineOffset = _consumed;
                if (length > _maxLineBytes)
                {
                    throw Fail(TooLong());
                }

                line = _buffer.AsSpan(_start, length);
                _consumed += length + 1;
                _start += length + 1;
                _scanned = _start;
                if (length == 0)
                {
                    throw Fail("an empty line; every line is a record or an entry");
                }

                return true;
            }

            _scanned = _end;
            if (_end - _start > _maxLineBytes)
            {
                LineNumber++;
                LineOffset = _consumed;
                throw Fail(TooLong());
            }

            if (_eof)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }

                LineNumber++;
                LineOffset = _consumed;
                throw Fail("the last line has no newline (the bundle is truncated)");
            }

            Fill();
        }
    }

    private string TooLong() => string.Create(CultureInfo.InvariantCulture,
        $"the line is longer than {_maxLineBytes} bytes (the limit is {_maxLineBytes / (1024 * 1024)} MiB)");

    private void Fill()
    {
        if (_start > 0)
        {
            var pending = _end - _start;
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _scanned -= _start;
            _start = 0;
            _end = pending;
        }

        if (_end == _buffer.Length)
        {
            var larger = (int)Math.Min((long)_buffer.Length * 2, (long)_maxLineBytes + 1);
            Array.Resize(ref _buffer, Math.Max(larger, _buffer.Length + 1));
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    /// <summary>True when the input has no byte left after what was buffered.</summary>
    private bool FillToEnd()
    {
        while (!_eof && _start == _end)
        {
            Fill();
        }

        return _start == _end;
    }
}
