using System.Collections.Concurrent;

namespace Ledger.Store.Tiles;

/// <summary>
/// A concurrent map that holds at most about <see cref="Capacity"/> entries: past it, it starts over. For values that
/// never go stale once computed (complete subtrees of an append-only log), where losing them only costs a recomputation.
/// </summary>
/// <remarks>
/// Written here rather than taken from a caching library because it needs no expiry, no eviction order and no size
/// accounting: a concurrent dictionary emptied when full is enough, and the store takes no dependency for it.
/// Callers must not modify the values it returns. Thread-safe.
/// </remarks>
internal class BoundedCache<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries = new();
    private readonly Lock _clearing = new();

    // Counted here because ConcurrentDictionary.Count takes every lock of the dictionary, and a lineage tree's first proofs
    // add thousands of nodes at once (that count was most of the request). Approximate under races: at worst it starts
    // over a little early.
    private int _count;

    /// <summary>The most entries kept.</summary>
    public int Capacity { get; } = capacity;

    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value) => _entries.TryGetValue(key, out value!);

    public void Add(TKey key, TValue value)
    {
        if (Volatile.Read(ref _count) >= Capacity)
        {
            lock (_clearing)
            {
                if (_count >= Capacity)
                {
                    _entries.Clear();
                    Volatile.Write(ref _count, 0);
                }
            }
        }

        if (_entries.TryAdd(key, value))
        {
            Interlocked.Increment(ref _count);
        }
    }
}
