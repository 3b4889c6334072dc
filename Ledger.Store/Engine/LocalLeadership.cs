using System.Collections.Concurrent;

namespace Ledger.Store.Engine;

/// <summary>Leadership within one process: at most one holder per job name.</summary>
internal sealed class LocalLeadership : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<string, LocalLeadership> Holders = new(StringComparer.Ordinal);
    private readonly string _key;

    private LocalLeadership(string key) => _key = key;

    /// <summary>The job's leadership, or null when another holder in this process has it.</summary>
    public static LocalLeadership? TryTake(string key)
    {
        var candidate = new LocalLeadership(key);
        return Holders.TryAdd(key, candidate) ? candidate : null;
    }

    public ValueTask DisposeAsync()
    {
        Holders.TryRemove(new KeyValuePair<string, LocalLeadership>(_key, this));
        return ValueTask.CompletedTask;
    }
}
