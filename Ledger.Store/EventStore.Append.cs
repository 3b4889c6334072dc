using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Ledger.Domain.Canonical;
using Ledger.Store.Appending;
using Ledger.Store.Engine;

namespace Ledger.Store;

internal sealed partial class EventStore
{
    /// <summary>The longest a batch waits for more appends (see <see cref="GatherAsync"/>).</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(1);

    private int _expectedRequests = 1;

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

        if (request.Events.Count == 0 && request.Decide is null)
        {
            throw new ArgumentException("An append needs at least one event.", nameof(request));
        }

        if (request.Decide is not null && !Domain.Executions.ExecutionId.TryFromStreamName(request.Stream, out _))
        {
            throw new ArgumentException($"A decided append must be to an execution stream, not '{request.Stream}'.", nameof(request));
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

            try
            {
                digests[i] = request.Events[i].Digest ?? statement.Digest();
            }
            catch (CanonicalJsonException ex)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Event {i} ('{statement.EventId}') cannot be canonicalized: {ex.Message}"),
                    nameof(request),
                    ex);
            }
        }

        return digests;
    }

    /// <summary>The parent an undecided intent names (so that its record gives the new record's lineage edge).</summary>
    private static Domain.Executions.ExecutionId? ParentOf(AppendRequest request) =>
        request.Events.Count > 0
        && request.Events[0].Statement is { Type: "execution.intent-declared.v1" } statement
        && Domain.Executions.ExecutionEventCodec.TryParse(statement.Type, statement.Data, out var e, out _)
        && e is Domain.Executions.IntentDeclared { Parent: { } parent }
            ? parent.ExecutionId
            : null;

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
            carried = await GatherAsync(reader, (PendingAppend)first, batch).ConfigureAwait(false);
            if (batch.Count > 0)
            {
                await ProcessBatchAsync(batch).ConfigureAwait(false);

                // The writers just answered will be back at once, and the queued ones are waiting:
                // the next batch waits (briefly) for all of them.
                _expectedRequests = Math.Clamp(batch.Count + (reader.CanCount ? reader.Count : 0), 1, _options.MaxBatchEvents);
            }
        }
    }

    /// <summary>
    /// Takes queued appends into <paramref name="batch"/>, up to <see cref="StoreOptions.MaxBatchEvents"/>.
    /// When fewer requests are queued than writers were active at the end of the previous batch, it
    /// waits up to <see cref="Linger"/> for them (their writers are usually just resubmitting):
    /// without this, N steady writers alternate between batches of about N/2. With one writer it
    /// never waits.
    /// Returns an operation read but not taken (a checkpoint, or an append that did not fit).
    /// </summary>
    private async Task<WriteOperation?> GatherAsync(ChannelReader<WriteOperation> reader, PendingAppend first, List<PendingAppend> batch)
    {
        var events = 0;
        var target = _expectedRequests;
        var deadline = 0L;
        WriteOperation? next = first;
        while (true)
        {
            if (next is not null)
            {
                if (next is not PendingAppend append
                    || (batch.Count > 0 && events + append.Request.Events.Count > _options.MaxBatchEvents))
                {
                    return next;
                }

                if (append.TryTake())
                {
                    batch.Add(append);
                    events += append.Request.Events.Count;
                }
            }

            if (reader.TryRead(out next))
            {
                continue;
            }

            if (batch.Count >= target || events >= _options.MaxBatchEvents)
            {
                break;
            }

            deadline = deadline == 0 ? Stopwatch.GetTimestamp() + (long)(Linger.TotalSeconds * Stopwatch.Frequency) : deadline;
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            using var timeout = new CancellationTokenSource(remaining);
            try
            {
                if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return null;
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
        IReadOnlyList<AppendResult> results;
        using var activity = StoreTelemetry.ActivitySource.StartActivity("ledger.store.append");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var eventIds = new HashSet<string>(StringComparer.Ordinal);
            var streams = new HashSet<string>(StringComparer.Ordinal);
            var executions = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pending in batch)
            {
                var request = pending.Request;
                streams.Add(request.Stream);
                foreach (var proposed in request.Events)
                {
                    eventIds.Add(proposed.Statement.EventId);
                }

                if (request.Guards is { } guards)
                {
                    streams.UnionWith(guards.Keys);
                }

                if (Domain.Executions.ExecutionId.TryFromStreamName(request.Stream, out var execution))
                {
                    executions.Add(execution.Value);
                    if ((request.ParentHint ?? ParentOf(request)) is { } parent)
                    {
                        executions.Add(parent.Value);
                    }
                }
            }

            await using var session = await _engine.BeginWriteAsync(eventIds, streams, executions, ct).ConfigureAwait(false);
            var state = _state;
            if (state is null || state.Size != session.Head.Size || !state.Root.AsSpan().SequenceEqual(session.Head.Root))
            {
                state = await LoadStateAsync(session, ct).ConfigureAwait(false);
                _state = state;
            }

            var clock = _options.TimeProvider.GetUtcNow();
            var builder = new BatchBuilder(Origin, state, session.Lookup, session.Head.LastRecordedAt, new DateTimeOffset(clock.UtcTicks - (clock.UtcTicks % 10), TimeSpan.Zero), _options.MaxEntryBytes);
            foreach (var pending in batch)
            {
                builder.Add(pending);
            }

            var (rows, tiles, next, decided) = builder.Build();
            results = decided;
            if (builder.HasAppends)
            {
                var (records, cascades) = builder.Records();
                await session.WriteAsync(rows, tiles, records, cascades, new LogHead(next.Size, next.Root, builder.LastRecordedAt), clock, ct).ConfigureAwait(false);
                await session.CommitAsync(ct).ConfigureAwait(false);
                _state = next;
                Volatile.Write(ref _committedSize, next.Size);
                Interlocked.Increment(ref _transactions);
                Interlocked.Add(ref _appendedRequests, results.Count(r => r is AppendResult.Appended));
                StoreTelemetry.Committed(_options.Engine, Stopwatch.GetElapsedTime(started), next.Size - state.Size, batch.Count, activity);
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
