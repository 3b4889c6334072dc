using System.Text;
using Ledger.Domain.Bundles;
using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Bundles;

public sealed class BundleFormatTests
{
    private static readonly byte[] Hash = new byte[32];

    private static byte[] Entry(int n) => Encoding.UTF8.GetBytes($$"""{"data":{"n":{{n}}},"x":1}""");

    private static async Task<byte[]> WriteAsync(params BundleRecord[] records)
    {
        using var output = new MemoryStream();
        await BundleWriter.WriteAsync(output, records.ToAsyncEnumerable());
        return output.ToArray();
    }

    private static List<BundleRecord> ReadAll(byte[] bundle, int maxLine = BundleFormat.MaxLineBytes)
    {
        using var reader = new BundleReader(new MemoryStream(bundle), maxLineBytes: maxLine);
        var records = new List<BundleRecord>();
        while (reader.Read() is { } record)
        {
            records.Add(record);
        }

        return records;
    }

    private static BundleFormatException ReadFails(string text, int maxLine = BundleFormat.MaxLineBytes) =>
        Should.Throw<BundleFormatException>(() => ReadAll(Encoding.UTF8.GetBytes(text), maxLine));

    private const string Version = "{\"format\":\"ledger-bundle\",\"version\":1}\n";
    private const string FullHeader = "{\"from\":0,\"kind\":\"full\",\"origin\":\"o\",\"record\":\"header\",\"to\":1}\n";

    [Fact]
    public async Task A_full_bundle_is_written_line_by_line_and_read_back_record_by_record()
    {
        var bytes = await WriteAsync(
            BundleHeader.Full("log.example/a", 0, 2),
            new BundleEntry(Entry(0)),
            new BundleEntry(Entry(1)),
            new BundleCheckpoint("log.example/a\n2\nAAAA\n\n— k AAAA\n"));

        var text = Encoding.UTF8.GetString(bytes);
        text.ShouldStartWith(Version + "{\"from\":0,\"kind\":\"full\",\"origin\":\"log.example/a\",\"record\":\"header\",\"to\":2}\n");
        text.ShouldEndWith("{\"checkpoints\":1,\"entries\":2,\"lines\":5,\"record\":\"trailer\"}\n");
        var records = ReadAll(bytes);
        records.Count.ShouldBe(5);
        records[0].ShouldBe(BundleHeader.Full("log.example/a", 0, 2));
        ((BundleEntry)records[1]).Canonical.ToArray().ShouldBe(Entry(0));
        records[3].ShouldBe(new BundleCheckpoint("log.example/a\n2\nAAAA\n\n— k AAAA\n"));
        records[4].ShouldBe(new BundleTrailer(1, 2, 5));
    }

    [Fact]
    public async Task Proof_records_round_trip_with_their_hashes()
    {
        var hash = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var bytes = await WriteAsync(
            BundleHeader.ForStream("o", "execution-x"),
            new BundleCheckpoint("c"),
            new BundleConsistency(1, 2, [hash]),
            new BundleCheckpoint("d"),
            new BundleInclusion(0, 2, [hash, Hash]),
            new BundleEntry(Entry(0)));

        var records = ReadAll(bytes);
        var consistency = records[2].ShouldBeOfType<BundleConsistency>();
        (consistency.From, consistency.To).ShouldBe((1L, 2L));
        consistency.Hashes.Single().ShouldBe(hash);
        var inclusion = records[4].ShouldBeOfType<BundleInclusion>();
        (inclusion.Index, inclusion.TreeSize, inclusion.Hashes.Count).ShouldBe((0L, 2L, 2));
        records[0].ShouldBe(BundleHeader.ForStream("o", "execution-x"));
    }

    [Fact]
    public async Task The_writer_refuses_records_out_of_order()
    {
        await using var writer = new BundleWriter(new MemoryStream());
        await Should.ThrowAsync<InvalidOperationException>(async () => await writer.WriteAsync(new BundleEntry(Entry(0))));
        await writer.WriteAsync(BundleHeader.ForStream("o", "s"));
        await Should.ThrowAsync<InvalidOperationException>(async () => await writer.WriteAsync(new BundleEntry(Entry(0))));
        await writer.WriteAsync(new BundleCheckpoint("c"));
        await writer.WriteAsync(new BundleInclusion(0, 1, []));
        await Should.ThrowAsync<InvalidOperationException>(async () => await writer.WriteAsync(new BundleCheckpoint("c")));
        await Should.ThrowAsync<InvalidOperationException>(async () => await writer.CompleteAsync());
        await Should.ThrowAsync<InvalidOperationException>(async () => await writer.WriteAsync(new BundleTrailer(0, 0, 0)));
    }

    [Fact]
    public async Task The_writer_refuses_an_entry_that_is_not_framed_as_an_entry_line()
    {
        await using var writer = new BundleWriter(new MemoryStream());
        await writer.WriteAsync(BundleHeader.Full("o", 0, 1));
        await Should.ThrowAsync<ArgumentException>(async () => await writer.WriteAsync(new BundleEntry(Encoding.UTF8.GetBytes("{\"x\":1}"))));
        await Should.ThrowAsync<ArgumentException>(async () => await writer.WriteAsync(new BundleEntry(Encoding.UTF8.GetBytes("{\"data\":{}}\n{\"data\":{}}"))));
    }

    [Fact]
    public async Task A_full_bundle_from_a_later_position_needs_its_frontier_before_any_entry()
    {
        await using var writer = new BundleWriter(new MemoryStream());
        await writer.WriteAsync(BundleHeader.Full("o", 3, 4));
        await Should.ThrowAsync<InvalidOperationException>(async () => await writer.WriteAsync(new BundleEntry(Entry(3))));
        await Should.ThrowAsync<InvalidOperationException>(async () => await writer.WriteAsync(new BundleFrontier(2, [Hash])));
        await writer.WriteAsync(new BundleFrontier(3, [Hash, Hash]));
        await writer.WriteAsync(new BundleInclusion(1, 3, [Hash]));
        await writer.WriteAsync(new BundleEntry(Entry(1)));
        await writer.WriteAsync(new BundleEntry(Entry(3)));
        await Should.ThrowAsync<InvalidOperationException>(async () => await writer.WriteAsync(new BundleInclusion(2, 3, [Hash])));
    }

    [Fact]
    public void An_empty_input_is_not_a_bundle() =>
        ReadFails(string.Empty).Message.ShouldContain("empty");

    [Fact]
    public void An_unknown_version_is_named() =>
        ReadFails("{\"format\":\"ledger-bundle\",\"version\":2}\n" + FullHeader).Message.ShouldContain("unknown bundle version 2");

    [Fact]
    public void Text_that_is_not_a_bundle_is_refused_on_line_1()
    {
        var e = ReadFails("hello world\n");
        e.Line.ShouldBe(1);
        e.Message.ShouldContain("not a ledger bundle");
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_refused_without_reading_it_all()
    {
        var e = ReadFails(Version + new string('x', 10_000), maxLine: 1000);
        e.Line.ShouldBe(2);
        e.Message.ShouldContain("longer than 1000 bytes");
    }

    [Fact]
    public void A_bundle_without_its_trailer_is_truncated() =>
        ReadFails(Version + FullHeader + "{\"data\":{}}\n").Message.ShouldContain("without its trailer");

    [Fact]
    public void A_last_line_without_newline_is_truncated() =>
        ReadFails(Version + FullHeader + "{\"data\":{}}").Message.ShouldContain("no newline");

    [Fact]
    public void Bytes_after_the_trailer_are_refused() =>
        ReadFails(Version + FullHeader + "{\"checkpoints\":0,\"entries\":0,\"lines\":2,\"record\":\"trailer\"}\nx\n").Message.ShouldContain("after the trailer");

    [Theory]
    [InlineData("{\"checkpoints\":0,\"entries\":0, \"lines\":2,\"record\":\"trailer\"}", "canonical")]
    [InlineData("{\"checkpoints\":0,\"entries\":0,\"lines\":2,\"record\":\"trailer\",\"x\":1}", "exactly the members")]
    [InlineData("{\"record\":\"footer\"}", "unknown record kind")]
    [InlineData("{\"checkpoints\":-1,\"entries\":0,\"lines\":2,\"record\":\"trailer\"}", "integer")]
    [InlineData("{\"hashes\":[\"AAAA\"],\"record\":\"frontier\",\"size\":1}", "base64")]
    public void A_malformed_record_line_is_refused_with_the_reason(string line, string reason)
    {
        var e = ReadFails(Version + "{\"kind\":\"stream\",\"origin\":\"o\",\"record\":\"header\",\"stream\":\"s\"}\n" + line + "\n");
        e.Line.ShouldBe(3);
        e.Message.ShouldContain(reason);
    }

    [Fact]
    public void A_hash_with_nonzero_pad_bits_is_refused()
    {
        var canonical = Convert.ToBase64String(Hash);
        var padded = canonical[..^2] + "B=";
        Convert.FromBase64String(padded).ShouldBe(Hash);
        var e = ReadFails(Version + "{\"kind\":\"stream\",\"origin\":\"o\",\"record\":\"header\",\"stream\":\"s\"}\n{\"checkpoint\":\"c\",\"record\":\"checkpoint\"}\n{\"hashes\":[\"" + padded + "\"],\"index\":0,\"record\":\"inclusion\",\"treeSize\":1}\n");
        e.Message.ShouldContain("base64");
    }

    [Fact]
    public void Where_an_entry_may_stand_a_line_that_is_no_record_is_read_as_a_damaged_entry()
    {
        var records = ReadAll(Encoding.UTF8.GetBytes(Version + FullHeader + "{\"dbta\":{}}\n{\"checkpoints\":0,\"entries\":1,\"lines\":3,\"record\":\"trailer\"}\n"));
        Encoding.UTF8.GetString(records[1].ShouldBeOfType<BundleEntry>().Canonical.Span).ShouldBe("{\"dbta\":{}}");
    }

    [Fact]
    public void Where_no_entry_may_stand_a_line_that_is_no_record_is_refused() =>
        ReadFails(Version + "{\"kind\":\"stream\",\"origin\":\"o\",\"record\":\"header\",\"stream\":\"s\"}\n{\"dbta\":{}}\n").Line.ShouldBe(3);

    [Fact]
    public void The_frontier_rebuilt_from_the_last_leaf_is_the_compact_range_of_every_size()
    {
        var tree = new MerkleTree();
        for (var size = 1; size <= 300; size++)
        {
            tree.AppendEntry(Entry(size));
            var frontier = BundleFrontier.FromLastLeaf(size, tree.LeafHash(size - 1), tree.InclusionProof(size - 1, size));
            frontier.Hashes.Select(Convert.ToBase64String).ShouldBe(
                CompactRange.BorderNodes(size).Select(n => Convert.ToBase64String(tree.NodeHash(n))), $"size {size}");
            CompactRange.FromHashes(size, frontier.Hashes).Root().ShouldBe(tree.Root());
        }
    }

    [Fact]
    public void A_frontier_from_a_proof_of_the_wrong_length_is_refused() =>
        Should.Throw<ArgumentException>(() => BundleFrontier.FromLastLeaf(6, Hash, [Hash]));
}
