using System.Globalization;

namespace Ledger.Domain.Bundles;

/// <summary>
/// Writes a bundle incrementally: the version line, then each record as it comes, then the trailer with the counts.
/// Built for streaming exports: it holds one small buffer, never the bundle, and writes asynchronously, so a caller
/// can pass an HTTP response body and an <see cref="IAsyncEnumerable{T}"/> of records read from the store.
/// </summary>
/// <remarks>
/// <para>The first record must be the <see cref="BundleHeader"/>; the records must follow the grammar the reader
/// enforces (see <see cref="BundleExport"/>, which produces them in order), otherwise
/// <see cref="InvalidOperationException"/> is thrown before anything of the offending record is written.
/// Entries are written as given: the writer checks their framing (they start with <c>{"data":</c>, hold no newline and
/// fit a line) but not their content, so an export reproduces the log faithfully and the verifier judges it.</para>
/// <para>Not thread-safe. The writer owns the stream unless <c>leaveOpen</c> is set.</para>
/// </remarks>
public sealed class BundleWriter : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _used;
    private BundleGrammar? _grammar;
    private bool _completed;

    /// <summary>Creates a writer over <paramref name="output"/>.</summary>
    public BundleWriter(Stream output, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Lines written so far (the version line included, the trailer excluded).</summary>
    public long Lines { get; private set; }

    /// <summary>Entry lines written so far.</summary>
    public long Entries { get; private set; }

    /// <summary>Checkpoint records written so far.</summary>
    public long Checkpoints { get; private set; }

    /// <summary>Bytes written so far (buffered included).</summary>
    public long BytesWritten { get; private set; }

    /// <summary>
    /// Writes <paramref name="records"/> (a header first, no trailer) as one bundle to <paramref name="output"/>, then the
    /// trailer, flushing as it goes. The output stream is left open.
    /// </summary>
    /// <returns>The trailer written.</returns>
    public static async Task<BundleTrailer> WriteAsync(Stream output, IAsyncEnumerable<BundleRecord> records, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        await using var writer = new BundleWriter(output, leaveOpen: true);
        await foreach (var record in records.WithCancellation(ct).ConfigureAwait(false))
        {
            await writer.WriteAsync(record, ct).ConfigureAwait(false);
        }

        return await writer.CompleteAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Writes one record (the version line goes before the header).</summary>
    /// <exception cref="InvalidOperationException">The record may not come here, or the bundle is complete.</exception>
    /// <exception cref="ArgumentException">An entry is not framed as an entry line.</exception>
    public async ValueTask WriteAsync(BundleRecord record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_completed)
        {
            throw new InvalidOperationException("The bundle is complete; nothing may follow its trailer.");
        }

        if (record is BundleTrailer)
        {
            throw new InvalidOperationException("The trailer is written by CompleteAsync, with the counts of what was written.");
        }

        if (_grammar is null)
        {
            if (record is not BundleHeader header)
            {
                throw new InvalidOperationException($"A bundle starts with its header, not a {record.RecordName} record.");
            }

            await AppendLineAsync(BundleFormat.VersionLine.ToArray(), ct).ConfigureAwait(false);
            await AppendLineAsync(BundleCodec.Encode(header), ct).ConfigureAwait(false);
            _grammar = new BundleGrammar(header);
            return;
        }

        if (record is BundleEntry entry)
        {
            CheckFraming(entry.Canonical.Span);
        }

        var line = record is BundleEntry e ? e.Canonical : BundleCodec.Encode(record);
        if (line.Length > BundleFormat.MaxLineBytes)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The {record.RecordName} record is {line.Length} bytes; a line holds at most {BundleFormat.MaxLineBytes}."), nameof(record));
        }

        if (_grammar.Accept(record) is { } problem)
        {
            throw new InvalidOperationException("The record may not come here: " + problem + ".");
        }

        await AppendLineAsync(line, ct).ConfigureAwait(false);
        if (record is BundleEntry)
        {
            Entries++;
        }
        else if (record is BundleCheckpoint)
        {
            Checkpoints++;
        }
    }

    /// <summary>Writes the trailer and flushes everything to the stream.</summary>
    /// <returns>The trailer written.</returns>
    /// <exception cref="InvalidOperationException">No header was written, the last inclusion or consistency record lacks its
    /// entry or checkpoint, or the bundle is already complete.</exception>
    public async ValueTask<BundleTrailer> CompleteAsync(CancellationToken ct = default)
    {
        if (_completed || _grammar is null)
        {
            throw new InvalidOperationException(_completed ? "The bundle is already complete." : "A bundle starts with its header.");
        }

        var trailer = new BundleTrailer(Checkpoints, Entries, Lines);
        if (_grammar.Accept(trailer) is { } problem)
        {
            throw new InvalidOperationException("The bundle cannot end here: " + problem + ".");
        }

        await AppendLineAsync(BundleCodec.Encode(trailer), ct).ConfigureAwait(false);
        _completed = true;
        await FlushBufferAsync(ct).ConfigureAwait(false);
        await _output.FlushAsync(ct).ConfigureAwait(false);
        return trailer;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_leaveOpen)
        {
            await _output.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void CheckFraming(ReadOnlySpan<byte> entry)
    {
        if (!entry.StartsWith(BundleFormat.EntryPrefix) || entry.Contains((byte)'\n'))
        {
            throw new ArgumentException("An entry line is the entry's canonical JSON: it starts with {\"data\": and holds no newline.", nameof(entry));
        }
    }

    private async ValueTask AppendLineAsync(ReadOnlyMemory<byte> line, CancellationToken ct)
    {
        if (_used + line.Length + 1 > _buffer.Length)
        {
            await FlushBufferAsync(ct).ConfigureAwait(false);
        }

        if (line.Length + 1 > _buffer.Length)
        {
            await _output.WriteAsync(line, ct).ConfigureAwait(false);
            _buffer[0] = (byte)'\n';
            _used = 1;
        }
        else
        {
            line.Span.CopyTo(_buffer.AsSpan(_used));
            _used += line.Length;
            _buffer[_used++] = (byte)'\n';
        }

        Lines++;
        BytesWritten += line.Length + 1;
    }

    private async ValueTask FlushBufferAsync(CancellationToken ct)
    {
        if (_used > 0)
        {
            await _output.WriteAsync(_buffer.AsMemory(0, _used), ct).ConfigureAwait(false);
            _used = 0;
        }
    }
}
