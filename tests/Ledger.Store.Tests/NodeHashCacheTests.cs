using Ledger.Domain.Merkle;
using Ledger.Store.Tiles;

namespace Ledger.Store.Tests;

public sealed class NodeHashCacheTests
{
    [Fact]
    public void Nodes_are_kept_until_the_capacity_is_reached_then_it_starts_over()
    {
        var cache = new NodeHashCache(capacity: 4);
        for (var i = 0; i < 4; i++)
        {
            cache.Add(new NodeId(1, i), [(byte)i]);
        }

        cache.Count.ShouldBe(4);
        cache.TryGet(new NodeId(1, 2), out var kept).ShouldBeTrue();
        kept.ShouldBe(new byte[] { 2 });

        cache.Add(new NodeId(2, 0), [9]);

        cache.Count.ShouldBe(1);
        cache.TryGet(new NodeId(1, 2), out _).ShouldBeFalse("full: emptied before the next node");
        cache.TryGet(new NodeId(2, 0), out var next).ShouldBeTrue();
        next.ShouldBe(new byte[] { 9 });
    }

    [Fact]
    public void Adding_a_node_again_does_not_count_twice_nor_replace_it()
    {
        var cache = new NodeHashCache(capacity: 2);
        cache.Add(new NodeId(0, 7), [1]);
        cache.Add(new NodeId(0, 7), [2]);
        cache.Add(new NodeId(0, 8), [3]);

        cache.Count.ShouldBe(2);
        cache.TryGet(new NodeId(0, 7), out var first).ShouldBeTrue();
        first.ShouldBe(new byte[] { 1 });
    }

    [Fact]
    public async Task Many_threads_adding_at_once_never_keep_much_more_than_the_capacity()
    {
        var cache = new NodeHashCache(capacity: 1000);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                cache.Add(new NodeId(t, i), [(byte)t]);
            }
        })));

        cache.Count.ShouldBeLessThanOrEqualTo(1000 + 8, "each thread can add at most one node past a clear it raced with");
        cache.Count.ShouldBeGreaterThan(0);
    }
}
