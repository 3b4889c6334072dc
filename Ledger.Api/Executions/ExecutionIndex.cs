using Ledger.Api.Hosting;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;

namespace Ledger.Api.Executions;

/// <summary>
/// Which executions exist, which are still open and which children each has, kept by reading the log in
/// position order. The append path uses it to cascade a parent's end to its descendants, the silence sweep
/// to find open executions. Rebuilt from position 0 at start-up (the projections give the durable read models).
/// Thread-safe.
/// </summary>
public sealed class ExecutionIndex(LedgerNode node) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, List<string>> _children = new(StringComparer.Ordinal);
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);
    private long _position;

    /// <summary>Reads the log up to its current end.</summary>
    public void Dispose() => _gate.Dispose();

    public async Task CatchUpAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var read = 0;
                await foreach (var stored in node.Store.ReadLogAsync(_position, 1000, ct).ConfigureAwait(false))
                {
                    Apply(LedgerEntry.Parse(stored.Entry));
                    _position = stored.Position + 1;
                    read++;
                }

                if (read == 0)
                {
                    return;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every descendant of <paramref name="id"/> on this ledger, parents before children.</summary>
    public async Task<IReadOnlyList<ExecutionId>> DescendantsAsync(ExecutionId id, CancellationToken ct)
    {
        await CatchUpAsync(ct).ConfigureAwait(false);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var result = new List<ExecutionId>();
            var queue = new Queue<string>([id.Value]);
            var seen = new HashSet<string>(StringComparer.Ordinal) { id.Value };
            while (queue.TryDequeue(out var current))
            {
                if (!_children.TryGetValue(current, out var children))
                {
                    continue;
                }

                foreach (var child in children.Where(seen.Add))
                {
                    result.Add(ExecutionId.Parse(child));
                    queue.Enqueue(child);
                }
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The executions that have not ended.</summary>
    public async Task<IReadOnlyList<ExecutionId>> OpenAsync(CancellationToken ct)
    {
        await CatchUpAsync(ct).ConfigureAwait(false);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return [.. _open.Order(StringComparer.Ordinal).Select(ExecutionId.Parse)];
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Apply(LedgerEntry entry)
    {
        if (!ExecutionId.TryFromStreamName(entry.Stream, out var id)
            || !ExecutionEventCodec.TryParse(entry.Type, entry.Data, out var @event, out _))
        {
            return;
        }

        switch (@event)
        {
            case IntentDeclared intent:
                _open.Add(id.Value);
                if (intent.Parent is { } parent && parent.Ledger == node.Origin)
                {
                    if (!_children.TryGetValue(parent.ExecutionId.Value, out var list))
                    {
                        _children[parent.ExecutionId.Value] = list = [];
                    }

                    list.Add(id.Value);
                }

                break;
            case ITermination or ExecutionCompleted:
                _open.Remove(id.Value);
                break;
        }
    }
}
