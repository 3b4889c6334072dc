using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Merkle;

public sealed class NodeIdTests
{
    [Fact]
    public void Node_covers_its_aligned_range_of_leaves()
    {
        var node = new NodeId(2, 3);

        node.Begin.ShouldBe(12);
        node.End.ShouldBe(16);
        node.LeafCount.ShouldBe(4);
        node.Parent().ShouldBe(new NodeId(3, 1));
        node.Sibling().ShouldBe(new NodeId(2, 2));
        new NodeId(2, 2).Sibling().ShouldBe(node);
    }

    [Fact]
    public void Nodes_with_equal_coordinates_are_equal()
    {
        new NodeId(1, 5).ShouldBe(new NodeId(1, 5));
        new NodeId(1, 5).ShouldNotBe(new NodeId(5, 1));
        var (level, index) = new NodeId(4, 9);
        (level, index).ShouldBe((4, 9L));
    }

    [Fact]
    public void Largest_nodes_end_within_the_largest_tree()
    {
        new NodeId(62, 0).End.ShouldBe(1L << 62);
        new NodeId(0, long.MaxValue - 1).End.ShouldBe(long.MaxValue);
        new NodeId(1, (long.MaxValue >> 1) - 1).End.ShouldBe(long.MaxValue - 1);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(63, 0)]
    [InlineData(0, -1)]
    [InlineData(0, long.MaxValue)]
    [InlineData(62, 1)]
    [InlineData(1, long.MaxValue >> 1)]
    public void Node_outside_the_largest_tree_is_refused(int level, long index)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new NodeId(level, index));
    }

    [Fact]
    public void Parent_of_the_largest_node_does_not_exist()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new NodeId(62, 0).Parent());
    }
}
