using System.Globalization;
using Ledger.Store.Appending;
using Ledger.Store.Engine;

namespace Ledger.Store;

internal sealed partial class EventStore
{
    public async Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        var digests = Validate(request);
        ct.ThrowIfCancellationRequested();
        var pending = new PendingAppend(request, digests);
        await EnqueueAsync(pending, ct).ConfigureAwait(false);
        return await pending.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Checks the request and computes its statement digests on the caller's thread.</summary>
    private string[] Validate(AppendRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Events, nameof(request));
        if (StreamName.Problem(request.Stream) is { } problem)
        {
            throw new ArgumentException(problem, nameof(request));
        }

        if (request.ExpectedVersion < AppendRequest.AnyVersion)
        {
            throw new ArgumentOutOfRangeException(
                nameof(request),
                request.ExpectedVersion,
                "ExpectedVersion must be -1 (any), 0 (no stream yet) or a stream version n ≥ 1.");
        }

        if (request.Events.Count == 0)
        {
            throw new ArgumentException("An append needs at least one event.", nameof(request));
        }

        if (request.Events.Count > _options.MaxBatchEvents)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"An append holds {request.Events.Count} events; at most {_options.MaxBatchEvents} are allowed."),
                nameof(request));
        }

        var digests = new string[request.Events.Count];
        var eventIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < digests.Length; i++)
        {
            var statement = request.Events[i]?.Statement
                ?? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Event {i} or its statement is null."), nameof(request));
            if (!string.Equals(statement.Stream, request.Stream, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Event {i} ('{statement.EventId}') states stream '{statement.Stream}', but the append is to '{request.Stream}'."),
                    nameof(request));
            }

            if (!eventIds.Add(statement.EventId))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The event id '{statement.EventId}' occurs more than once in the append."),
                    nameof(request));
            }

            digests[i] = statement.Digest();
        }

        return digests;
    }

    private async Task EnqueueAsync(WriteOperation operation, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(operation), this);

        if (ct.CanBeCanceled)
        {
            await using (ct.Register(() =>
            {
                if (operation.TryCancel())
                {
                    operation.Cancel(ct);
                }
            }).ConfigureAwait(false))
            {
                await WaitForOutcomeAsync(operation).ConfigureAwait(false);
            }
        }
    }

    private static Task WaitForOutcomeAsync(WriteOperation operation) => operation switch
    {
        PendingAppend append => IgnoreOutcome(append.Completion.Task),
        PendingCheckpoint checkpoint => IgnoreOutcome(checkpoint.Completion.Task),
        _ => Task.CompletedTask,
    };

    private static async Task IgnoreOutcome(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The caller observes the outcome itself; this only keeps the registration alive until then.
        }
    }

    private async Task RunWriterAsync()
    {
        var reader = _queue.Reader;
        WriteOperation? carried = null;
        while (true)
        {
            var first = carried;
            carried = null;
            if (first is null)
            {
                if (!await reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    return;
                }

                if (!reader.TryRead(out first))
                {
                    continue;
                }
            }

            if (first is PendingCheckpoint checkpoint)
            {
                if (checkpoint.TryTake())
                {
                    await RunCheckpointAsync(checkpoint).ConfigureAwait(false);
                }

                continue;
            }

            var batch = new List<PendingAppend>();
            var events = 0;
            var next = first;
            while (true)
            {
                if (next is PendingAppend append)
                {
                    if (batch.Count > 0 && events + append.Request.Events.Count > _options.MaxBatchEvents)
                    {
                        carried = append;
                        break;
                    }

                    if (append.TryTake())
                    {
                        batch.Add(append);
                        events += append.Request.Events.Count;
                    }
                }
                else
                {
                    carried = next;
                    break;
                }

                if (!reader.TryRead(out next))
                {
                    break;
                }
            }

            if (batch.Count > 0)
            {
                await ProcessBatchAsync(batch).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Commits the batch in one transaction. If that fails for a reason other than a decided
    /// conflict (those are values), each request is retried alone so one bad request fails alone.
    /// </summary>
    private async Task ProcessBatchAsync(List<PendingAppend> batch)
    {
        try
        {
            await WriteBatchAsync(batch).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (batch.Count == 1)
        {
            batch[0].Fail(ex);
            return;
        }
        catch (Exception)
        {
            // Fall through: retry one by one.
        }

        foreach (var pending in batch)
        {
            try
            {
                await WriteBatchAsync([pending]).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                pending.Fail(ex);
            }
        }
    }

    private async Task WriteBatchAsync(List<PendingAppend> batch)
    {
        var ct = CancellationToken.None;
        AppendResult[] results;
        try
        {
            await using var session = await _engine.BeginWriteAsync(ct).ConfigureAwait(false);
            var state = _state;
            if (state is null || state.Size != session.Head.Size || !state.Root.AsSpan().SequenceEqual(session.Head.Root))
            {
                state = await LoadStateAsync(session, ct).ConfigureAwait(false);
                _state = state;
            }

            var eventIds = new HashSet<string>(StringComparer.Ordinal);
            var streams = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pending in batch)
            {
                streams.Add(pending.Request.Stream);
                foreach (var proposed in pending.Request.Events)
                {
                    eventIds.Add(proposed.Statement.EventId);
                }
            }

            var lookup = await session.LookupAsync(eventIds, streams, ct).ConfigureAwait(false);
            var builder = new BatchBuilder(Origin, state, lookup);
            results = new AppendResult[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                results[i] = builder.Decide(batch[i]);
            }

            if (builder.Rows.Count > 0)
            {
                var (tiles, next) = builder.Finish();
                await session.WriteAsync(builder.Rows, tiles, new LogHead(next.Size, next.Root), _options.TimeProvider.GetUtcNow(), ct).ConfigureAwait(false);
                await session.CommitAsync(ct).ConfigureAwait(false);
                _state = next;
                Volatile.Write(ref _committedSize, next.Size);
                Interlocked.Increment(ref _transactions);
                Interlocked.Add(ref _appendedRequests, results.Count(r => r is AppendResult.Appended));
            }
        }
        catch
        {
            // The commit may or may not have happened: reload from the database next time.
            _state = null;
            throw;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(results[i]);
        }

        _signal.Pulse();
    }
}
