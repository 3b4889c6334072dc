using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Executions;

public sealed class LineageTreeTests
{
    private const string Origin = Sample.LedgerOrigin;
    private const string Peer = "ledger.example/partner";

    private static readonly ExecutionId Job1 = ExecutionId.Parse("job-1");
    private static readonly ExecutionId Job2 = ExecutionId.Parse("job-2");

    [Fact]
    public void Format_document_worked_example_is_what_the_forest_computes_from_entries()
    {
        var log = new Log();
        var forest = new LineageForest(Origin);
        // FORMAT §8.3 uses the leaf hashes of the one-byte entries 00, 01 and 02 instead of the entries' own.
        forest.Add(log.Intent(Job1, null), MerkleHash.HashLeaf([0]));
        forest.Add(log.Intent(Job2, new ParentRef(Origin, Job1)), MerkleHash.HashLeaf([1]));
        var member = forest.Add(log.Append(Job1, Sample.Governance()), MerkleHash.HashLeaf([2]))!;

        var digest = member.Tree.Digest();

        digest.ShouldBe("sha256:81764e06e2f2d218d7de7aed558c96fc2a2047afc4cba0120bd95b47791ea347");
        var document = File.ReadAllText(Path.Combine(Vectors.Root, "..", "..", "docs", "FORMAT.md"), Encoding.UTF8);
        document[document.IndexOf("### 8.3", StringComparison.Ordinal)..].ShouldContain("`lineageDigest` = `" + digest + "`");
        member.Tree.Root.ShouldBe(Job1);
        forest.Find(Job2)!.Parent.ShouldBe(Job1);
    }

    [Fact]
    public void Entries_are_grouped_into_trees_by_the_parent_their_intent_names_on_this_ledger()
    {
        var log = new Log();
        log.Other("$ledger");
        log.Intent(Job1, null);
        log.Intent(Job2, new ParentRef(Origin, Job1));
        var grandchild = Id("job-3");
        log.Intent(grandchild, new ParentRef(Origin, Job2));
        var remoteChild = Id("remote-child");
        log.Intent(remoteChild, new ParentRef(Peer, Job1));
        var orphan = Id("orphan");
        log.Intent(orphan, new ParentRef(Origin, Id("never-declared")));
        var refused = Id("refused");
        log.Append(refused, new ExecutionDenied(Reason.LineageBroken, "no parent"));
        var underRefused = Id("under-refused");
        log.Intent(underRefused, new ParentRef(Origin, refused));
        var self = Id("self");
        log.Intent(self, new ParentRef(Origin, self));
        log.Append(Job1, Sample.Governance());

        var trees = LineageTrees.FromEntries(Origin, log.Entries);

        trees.Select(t => t.Root).ShouldBe([Job1, remoteChild, orphan, refused, underRefused, self]);
        var tree = trees[0];
        tree.Nodes.Select(n => (n.ExecutionId, n.Parent)).ShouldBe([(Job1, (ExecutionId?)null), (Job2, Job1), (grandchild, Job2)]);
        tree.PositionsOf(Job1).ShouldBe([1, 9]);
        tree.PositionsOf(grandchild).ShouldBe([3]);
        tree.IsEnded.ShouldBeFalse();
        trees.Single(t => t.Root == refused).IsEnded.ShouldBeTrue();
    }

    [Fact]
    public void Proofs_are_not_events_of_the_tree_and_do_not_change_its_digest()
    {
        var log = new Log();
        log.Intent(Job1, null);
        log.Append(Job1, Sample.Completed());
        var before = LineageTrees.FromEntries(Origin, log.Entries).Single();
        log.Append(Job1, Sample.Proof());

        var after = LineageTrees.FromEntries(Origin, log.Entries).Single();

        after.Digest.ShouldBe(before.Digest);
        after.PositionsOf(Job1).ShouldBe([0, 1]);
        after.IsEnded.ShouldBeTrue();
    }

    [Fact]
    public void From_entries_agrees_with_the_digest_of_the_tree_assembled_by_hand()
    {
        var log = new Log();
        log.Intent(Job1, null);
        log.Other("$emitters");
        log.Intent(Job2, new ParentRef(Origin, Job1));
        log.Append(Job2, Sample.Governance());
        log.Append(Job1, Sample.Governance());
        log.Append(Job2, Sample.Completed());
        log.Append(Job1, Sample.Completed());

        var tree = LineageTrees.FromEntries(Origin, log.Entries.AsEnumerable().Reverse()).Single();

        tree.Digest.ShouldBe(LineageDigest.Compute(
        [
            new LineageNode(Job1, null, [Event(log, 0), Event(log, 4), Event(log, 6)]),
            new LineageNode(Job2, Job1, [Event(log, 2), Event(log, 3), Event(log, 5)]),
        ]));
        tree.LastPosition.ShouldBe(6);
    }

    [Fact]
    public void Running_digest_of_every_tree_agrees_with_lineage_digest_over_random_logs()
    {
        var shapes =
            from count in Gen.Choose(1, 25)
            from parents in Gen.ArrayOf(Gen.Choose(-2, 24), count)
            from extra in Gen.ArrayOf(Gen.Choose(0, count - 1), count * 2)
            select (Parents: parents, Extra: extra);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), Prop.ForAll(Arb.From(shapes), shape =>
        {
            // Execution i declares a parent j < i on this ledger (j ≥ 0 and j < i), on a peer (-1), or none (-2);
            // then the extra events go, in order, to the executions they name, interleaved with other streams.
            var log = new Log();
            var ids = shape.Parents.Select((_, i) => Id("x" + i)).ToArray();
            var expectedParent = new Dictionary<ExecutionId, ExecutionId?>();
            for (var i = 0; i < ids.Length; i++)
            {
                var p = shape.Parents[i];
                ParentRef? parent = p == -1 ? new ParentRef(Peer, ids[0]) : p >= 0 ? new ParentRef(Origin, ids[p % ids.Length]) : null;
                log.Intent(ids[i], parent);
                expectedParent[ids[i]] = p >= 0 && p % ids.Length < i ? ids[p % ids.Length] : null;
                log.Other("$ledger");
            }

            foreach (var e in shape.Extra)
            {
                log.Append(ids[e], Sample.Governance());
            }

            var forest = new LineageForest(Origin);
            foreach (var entry in log.Entries)
            {
                forest.Add(entry, MerkleHash.HashLeaf(entry.ToCanonicalBytes()));
            }

            var trees = LineageTrees.FromEntries(Origin, log.Entries);
            trees.SelectMany(t => t.Nodes).Select(n => (n.ExecutionId, n.Parent)).OrderBy(n => n.ExecutionId.Value, StringComparer.Ordinal)
                .ShouldBe(expectedParent.Select(kv => (kv.Key, kv.Value)).OrderBy(n => n.Key.Value, StringComparer.Ordinal));
            foreach (var tree in trees)
            {
                forest.Find(tree.Root)!.Tree.Digest().ShouldBe(tree.Digest);
                tree.Digest.ShouldBe(LineageDigest.Compute(tree.Nodes.Select(n => n with
                {
                    Events = [.. log.Entries.Where(e => e.Stream == n.ExecutionId.StreamName).Select(e => new LineageEvent(e.Position, MerkleHash.HashLeaf(e.ToCanonicalBytes())))],
                })));
            }
        }));
    }

    [Fact]
    public void A_forest_that_does_not_start_at_the_log_start_marks_trees_with_an_unseen_parent_incomplete()
    {
        var log = new Log();
        log.Intent(Job1, null);
        var child = log.Intent(Job2, new ParentRef(Origin, Job1));
        var late = log.Append(Job1, Sample.Governance());
        var forest = new LineageForest(Origin, historyFromStart: false);

        var member = forest.Add(child, MerkleHash.HashLeaf(child.ToCanonicalBytes()))!;
        var resumed = forest.Add(late, MerkleHash.HashLeaf(late.ToCanonicalBytes()), startsMidStream: true)!;

        member.Tree.Root.ShouldBe(Job2);
        member.Tree.IsComplete.ShouldBeFalse();
        resumed.Tree.IsComplete.ShouldBeFalse();
        resumed.HistoryComplete.ShouldBeFalse();
    }

    [Fact]
    public void A_tree_counts_its_open_and_unproven_members_and_can_be_forgotten()
    {
        var log = new Log();
        var forest = new LineageForest(Origin);
        void Add(LedgerEntry e) => forest.Add(e, MerkleHash.HashLeaf(e.ToCanonicalBytes()));
        Add(log.Intent(Job1, null));
        Add(log.Intent(Job2, new ParentRef(Origin, Job1)));
        var tree = forest.Find(Job1)!.Tree;
        tree.OpenMembers.ShouldBe(2);
        Add(log.Append(Job2, Sample.Completed()));
        Add(log.Append(Job1, new ExecutionHalted(Reason.EmitterReported, "stop")));
        tree.OpenMembers.ShouldBe(0);
        Add(log.Append(Job1, Sample.Proof()));
        tree.UnprovenMembers.ShouldBe(1);
        Add(log.Append(Job2, Sample.Proof()));
        tree.IsProven.ShouldBeTrue();

        forest.Forget(tree);

        forest.MemberCount.ShouldBe(0);
        forest.OldestPosition.ShouldBeNull();
        Add(log.Intent(Id("job-3"), new ParentRef(Origin, Job1)));
        forest.Find(Id("job-3"))!.Parent.ShouldBeNull();
    }

    [Fact]
    public void Entries_out_of_position_order_are_refused_by_the_forest()
    {
        var log = new Log();
        var first = log.Intent(Job1, null);
        var second = log.Append(Job1, Sample.Governance());
        var forest = new LineageForest(Origin);
        forest.Add(second, new byte[32]);

        Should.Throw<ArgumentException>(() => forest.Add(first, new byte[32])).Message.ShouldContain("ascending");
    }

    private static ExecutionId Id(string value) => ExecutionId.Parse(value);

    private static LineageEvent Event(Log log, int position) =>
        new(position, MerkleHash.HashLeaf(log.Entries[position].ToCanonicalBytes()));

    /// <summary>A log of real entries: positions in order, stream versions and prev hashes chained.</summary>
    private sealed class Log
    {
        private readonly Dictionary<string, (long Version, byte[] Last)> _streams = new(StringComparer.Ordinal);

        public List<LedgerEntry> Entries { get; } = [];

        public LedgerEntry Intent(ExecutionId id, ParentRef? parent) => Append(id, Sample.Intent(id, parent));

        public LedgerEntry Append(ExecutionId id, IExecutionEvent @event) =>
            Add(id.StreamName, ExecutionEventCodec.TypeOf(@event), ExecutionEventCodec.ToData(@event));

        public LedgerEntry Other(string stream) =>
            Add(stream, "ledger.note.v1", System.Text.Json.JsonDocument.Parse("{}").RootElement);

        private LedgerEntry Add(string stream, string type, System.Text.Json.JsonElement data)
        {
            var known = _streams.TryGetValue(stream, out var s);
            var statement = new EmitterStatement(stream, "evt-" + Entries.Count, type, Sample.Origin, "emitter", null, data, null);
            var entry = new LedgerEntry(Origin, Entries.Count, Sample.T0, known ? s.Version + 1 : 1, statement, null, known ? s.Last : null);
            _streams[stream] = ((known ? s.Version : 0) + 1, MerkleHash.HashLeaf(entry.ToCanonicalBytes()));
            Entries.Add(entry);
            return entry;
        }
    }
}
