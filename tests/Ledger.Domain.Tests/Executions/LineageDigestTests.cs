using System.Text;
using Ledger.Domain.Executions;
using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Executions;

public sealed class LineageDigestTests
{
    private static readonly ExecutionId Root = ExecutionId.Parse("root");
    private static readonly ExecutionId A = ExecutionId.Parse("a");
    private static readonly ExecutionId B = ExecutionId.Parse("b");
    private static readonly ExecutionId C = ExecutionId.Parse("c");

    /// <summary>root → a → c, root → b; positions interleaved as a real log interleaves streams.</summary>
    private static List<LineageNode> Tree() =>
    [
        Node(Root, null, 0, 1, 6),
        Node(A, Root, 2, 4, 9),
        Node(B, Root, 3, 8),
        Node(C, A, 5, 7),
    ];

    [Fact]
    public void Digest_is_sha256_prefixed_lowercase_hex_of_the_root()
    {
        var digest = LineageDigest.Compute(Tree());

        digest.ShouldStartWith("sha256:");
        digest.Length.ShouldBe(7 + 64);
        digest[7..].ShouldBe(Convert.ToHexStringLower(LineageDigest.ComputeRoot(Tree())));
    }

    [Fact]
    public void Digest_is_the_rfc6962_root_of_the_leaf_data_in_position_order()
    {
        var tree = new MerkleTree();
        var byPosition = Tree()
            .SelectMany(n => n.Events.Select(e => (e.Position, Data: LineageDigest.LeafData(e.Position, e.LeafHash, n.ExecutionId, n.Parent))))
            .OrderBy(x => x.Position);
        foreach (var (_, data) in byPosition)
        {
            tree.AppendEntry(data);
        }

        LineageDigest.ComputeRoot(Tree()).ShouldBe(tree.Root());
    }

    [Fact]
    public void Order_of_nodes_and_events_given_does_not_change_the_digest()
    {
        var shuffled = Tree().AsEnumerable().Reverse().Select(n => n with { Events = [.. n.Events.Reverse()] });

        LineageDigest.Compute(shuffled).ShouldBe(LineageDigest.Compute(Tree()));
    }

    [Fact]
    public void A_tree_with_a_leaf_node_removed_has_another_digest()
    {
        var without = Tree().Where(n => n.ExecutionId != C);

        LineageDigest.Compute(without).ShouldNotBe(LineageDigest.Compute(Tree()));
    }

    [Fact]
    public void A_tree_with_a_node_moved_to_another_parent_has_another_digest()
    {
        var moved = Tree().Select(n => n.ExecutionId == C ? n with { Parent = B } : n);

        LineageDigest.Compute(moved).ShouldNotBe(LineageDigest.Compute(Tree()));
    }

    [Fact]
    public void A_tree_with_one_event_dropped_or_changed_has_another_digest()
    {
        var dropped = Tree().Select(n => n.ExecutionId == B ? n with { Events = [n.Events[0]] } : n);
        var changed = Tree().Select(n => n.ExecutionId == B ? n with { Events = [n.Events[0], new LineageEvent(8, Hash(99))] } : n);

        LineageDigest.Compute(dropped).ShouldNotBe(LineageDigest.Compute(Tree()));
        LineageDigest.Compute(changed).ShouldNotBe(LineageDigest.Compute(Tree()));
    }

    [Fact]
    public void An_event_attributed_to_a_sibling_has_another_digest()
    {
        var tree = Tree();
        var swapped = new List<LineageNode>
        {
            tree[0],
            tree[1] with { Events = [.. tree[1].Events, tree[2].Events[1]] },
            tree[2] with { Events = [tree[2].Events[0]] },
            tree[3],
        };

        LineageDigest.Compute(swapped).ShouldNotBe(LineageDigest.Compute(Tree()));
    }

    [Fact]
    public void Leaf_data_is_position_leaf_hash_and_length_prefixed_ids()
    {
        var data = LineageDigest.LeafData(258, Hash(1), A, Root);

        data.Length.ShouldBe(8 + 32 + 1 + 1 + 1 + 4);
        data[..8].ShouldBe(new byte[] { 0, 0, 0, 0, 0, 0, 1, 2 });
        data[8..40].ShouldBe(Hash(1));
        data[40].ShouldBe((byte)1);
        data[41].ShouldBe((byte)'a');
        data[42].ShouldBe((byte)4);
        Encoding.ASCII.GetString(data[43..]).ShouldBe("root");
    }

    [Fact]
    public void The_root_leaf_has_an_empty_parent()
    {
        var data = LineageDigest.LeafData(0, Hash(1), Root, null);

        data[^1].ShouldBe((byte)0);
        data.Length.ShouldBe(8 + 32 + 1 + 4 + 1);
    }

    [Fact]
    public void An_empty_tree_is_refused() =>
        Should.Throw<ArgumentException>(() => LineageDigest.Compute([])).Message.ShouldContain("at least one node");

    [Fact]
    public void Two_roots_are_refused() =>
        Should.Throw<ArgumentException>(() => LineageDigest.Compute([Node(Root, null, 0), Node(A, null, 1)])).Message.ShouldContain("two roots");

    [Fact]
    public void A_tree_without_root_is_refused() =>
        Should.Throw<ArgumentException>(() => LineageDigest.Compute([Node(A, B, 0), Node(B, A, 1)])).Message.ShouldContain("no root");

    [Fact]
    public void A_cycle_beside_the_root_is_refused() =>
        Should.Throw<ArgumentException>(() => LineageDigest.Compute([Node(Root, null, 0), Node(A, B, 1), Node(B, A, 2)]))
            .Message.ShouldContain("cycle");

    [Fact]
    public void A_parent_outside_the_tree_is_refused() =>
        Should.Throw<ArgumentException>(() => LineageDigest.Compute([Node(Root, null, 0), Node(A, C, 1)])).Message.ShouldContain("not in the lineage tree");

    [Fact]
    public void A_node_given_twice_is_refused() =>
        Should.Throw<ArgumentException>(() => LineageDigest.Compute([Node(Root, null, 0), Node(A, Root, 1), Node(A, Root, 2)])).Message.ShouldContain("twice");

    [Fact]
    public void A_node_without_events_is_refused() =>
        Should.Throw<ArgumentException>(() => LineageDigest.Compute([Node(Root, null, 0), new LineageNode(A, Root, [])])).Message.ShouldContain("no events");

    [Fact]
    public void A_position_in_two_nodes_is_refused() =>
        Should.Throw<ArgumentException>(() => LineageDigest.Compute([Node(Root, null, 0, 1), Node(A, Root, 1)])).Message.ShouldContain("Position 1 occurs twice");

    [Fact]
    public void Leaf_hashes_must_be_32_bytes_and_positions_not_negative()
    {
        Should.Throw<ArgumentException>(() => new LineageEvent(0, new byte[31]));
        Should.Throw<ArgumentOutOfRangeException>(() => new LineageEvent(-1, new byte[32]));
        Should.Throw<ArgumentException>(() => LineageDigest.LeafData(0, new byte[33], A, null));
        Should.Throw<ArgumentOutOfRangeException>(() => LineageDigest.LeafData(-1, new byte[32], A, null));
    }

    [Fact]
    public void Events_are_equal_by_position_and_hash_content()
    {
        new LineageEvent(3, Hash(7)).ShouldBe(new LineageEvent(3, Hash(7)));
        new LineageEvent(3, Hash(7)).ShouldNotBe(new LineageEvent(3, Hash(8)));
        new LineageEvent(3, Hash(7)).GetHashCode().ShouldBe(new LineageEvent(3, Hash(7)).GetHashCode());
    }

    [Fact]
    public void Longest_execution_ids_fit_the_length_byte()
    {
        var longest = ExecutionId.Parse(new string('x', ExecutionId.MaxLength));

        var data = LineageDigest.LeafData(1, Hash(1), longest, longest);

        data[40].ShouldBe((byte)ExecutionId.MaxLength);
        data.Length.ShouldBe(40 + 2 + (2 * ExecutionId.MaxLength));
    }

    [Fact]
    public void Format_document_worked_example_is_what_the_code_computes()
    {
        var document = File.ReadAllText(Path.Combine(Vectors.Root, "..", "..", "docs", "FORMAT.md"), Encoding.UTF8);
        var start = document.IndexOf("### 8.3", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, "FORMAT.md has no section 8.3");
        var section = document[start..];
        var job1 = ExecutionId.Parse("job-1");
        var job2 = ExecutionId.Parse("job-2");
        LineageNode[] tree = [Node(job1, null, 0, 2), Node(job2, job1, 1)];

        foreach (var node in tree)
        {
            foreach (var e in node.Events)
            {
                section.ShouldContain(Convert.ToHexStringLower(e.LeafHash));
                var data = Convert.ToHexStringLower(LineageDigest.LeafData(e.Position, e.LeafHash, node.ExecutionId, node.Parent));
                section.Replace(" ", string.Empty, StringComparison.Ordinal).ShouldContain(data);
            }
        }

        section.ShouldContain("`lineageDigest` = `" + LineageDigest.Compute(tree) + "`");
    }

    internal static byte[] Hash(int seed) => MerkleHash.HashLeaf([(byte)seed]);

    internal static LineageNode Node(ExecutionId id, ExecutionId? parent, params long[] positions) =>
        new(id, parent, [.. positions.Select(p => new LineageEvent(p, Hash((int)p)))]);
}
