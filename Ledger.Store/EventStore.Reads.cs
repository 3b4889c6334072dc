using System.Runtime.CompilerServices;
using Ledger.Domain.Log;

namespace Ledger.Store;

internal sealed partial class EventStore
{
    /// <summary>The most entries one log read returns.</summary>
    internal const int MaxReadCount = 10_000;

    public async Task<IReadOnlyList<LedgerEntry>> ReadStreamAsync(string stream, long fromVersion, ReadDirection direction, int maxCount, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ValidateStream(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCount, MaxReadCount);
        switch (direction)
        {
            case ReadDirection.Forward:
                ArgumentOutOfRangeException.ThrowIfNegative(fromVersion);
                break;
            case ReadDirection.Backward:
                ArgumentOutOfRangeException.ThrowIfLessThan(fromVersion, -1);
                if (fromVersion == 0)
                {
                    return [];
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(direction), direction, "Forward or Backward.");
        }

        var rows = await _engine.ReadStreamAsync(stream, fromVersion, direction, maxCount, ct).ConfigureAwait(false);
        return rows.Select(bytes => LedgerEntry.ParseTrusted(bytes)).ToList();
    }

    public Task<long> GetStreamVersionAsync(string stream, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ValidateStream(stream);
        return _engine.GetStreamVersionAsync(stream, ct);
    }

    public async IAsyncEnumerable<StoredEntry> ReadLogAsync(long fromPosition, int limit, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(fromPosition);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxReadCount);
        await foreach (var entry in _engine.ReadLogAsync(fromPosition, limit, ct).ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    public async Task<StoredEntry?> GetEntryAsync(long position, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        await foreach (var entry in _engine.ReadLogAsync(position, 1, ct).ConfigureAwait(false))
        {
            return entry;
        }

        return null;
    }

    public async Task<LedgerEntry?> FindByEventIdAsync(string eventId, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        var bytes = await _engine.FindByEventIdAsync(eventId, ct).ConfigureAwait(false);
        return bytes is null ? null : LedgerEntry.ParseTrusted(bytes);
    }

    public async Task WaitForPositionAsync(long position, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (Volatile.Read(ref _committedSize) > position)
        {
            return;
        }

        await _engine.EnsureWatchingAsync(ct).ConfigureAwait(false);
        while (true)
        {
            ThrowIfDisposed();
            var pulse = _signal.Next;
            if (Volatile.Read(ref _committedSize) > position || await _engine.GetTreeSizeAsync(ct).ConfigureAwait(false) > position)
            {
                return;
            }

            try
            {
                await pulse.WaitAsync(_engine.PollInterval, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Nothing woke us: look again.
            }
        }
    }

    private static void ValidateStream(string stream)
    {
        if (StreamName.Problem(stream) is { } problem)
        {
            throw new ArgumentException(problem, nameof(stream));
        }
    }
}
