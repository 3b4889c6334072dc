using System.Text;
using Ledger.Domain.Canonical;
using Ledger.Domain.Log;
using Ledger.Domain.Tests.Log;

namespace Ledger.Domain.Tests.Canonical;

public sealed class CanonicalJsonWriterTests
{
    [Fact]
    public void Members_in_canonical_order_are_written_without_whitespace()
    {
        var writer = new CanonicalJsonWriter(16);
        writer.StartObject();
        writer.Json("a", SampleEntries.Json("""{ "z" : 1.50, "y" : [ true ] }"""));
        writer.Integer("b", -9_007_199_254_740_992);
        writer.Null("c");
        writer.StartObject("d");
        writer.String("e", "\u20ac\n");
        writer.EndObject();
        writer.String("f", null);
        writer.EndObject();

        Encoding.UTF8.GetString(writer.ToArray()).ShouldBe("{\"a\":{\"y\":[true],\"z\":1.5},\"b\":-9007199254740992,\"c\":null,\"d\":{\"e\":\"\u20ac\\n\"},\"f\":null}");
    }

    [Theory]
    [InlineData("a", "a")]
    [InlineData("b", "a")]
    [InlineData("\ue000", "\ud83d\ude00")]
    public void Member_out_of_canonical_order_is_a_bug_and_throws(string first, string second)
    {
        var writer = new CanonicalJsonWriter(16);
        writer.StartObject();
        writer.Null(first);

        Should.Throw<InvalidOperationException>(() => writer.Null(second)).Message.ShouldContain("canonical");
    }

    [Theory]
    [InlineData((1L << 53) + 1)]
    [InlineData(-(1L << 53) - 1)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Integer_a_double_cannot_hold_exactly_is_refused(long value)
    {
        var writer = new CanonicalJsonWriter(16);
        writer.StartObject();

        Should.Throw<ArgumentOutOfRangeException>(() => writer.Integer("n", value));
    }

    [Fact]
    public void Unpaired_surrogate_in_a_string_is_refused_rather_than_replaced()
    {
        var writer = new CanonicalJsonWriter(16);
        writer.StartObject();

        Should.Throw<ArgumentException>(() => writer.String("s", "a\udc00"));
    }

    [Fact]
    public void Member_outside_an_object_and_unfinished_object_are_bugs()
    {
        Should.Throw<InvalidOperationException>(() => new CanonicalJsonWriter(16).Null("a"));
        var open = new CanonicalJsonWriter(16);
        open.StartObject();
        Should.Throw<InvalidOperationException>(open.ToArray);
    }

    [Fact]
    public void Embedded_value_error_names_the_member_and_counts_from_the_value()
    {
        var writer = new CanonicalJsonWriter(16);
        writer.StartObject();
        writer.Null("a");

        var error = Should.Throw<CanonicalJsonException>(() => writer.Json("data", SampleEntries.Json("""{"k":1,"k":2}""")));

        error.Error.ShouldBe(CanonicalJsonError.DuplicateKey);
        error.ByteOffset.ShouldBe(7);
        error.Message.ShouldContain("in member \"data\"");
    }

    [Fact]
    public void Embedded_value_depth_counts_the_objects_around_it()
    {
        // The entry object is level 1 and data level 2, so data may hold MaxDepth - 2 more levels.
        var depth = JsonCanonicalizer.MaxDepth - 2;
        var fits = SampleEntries.Json(new string('[', depth) + new string(']', depth));
        var tooDeep = SampleEntries.Json("{\"a\":" + new string('[', depth + 1) + new string(']', depth + 1) + "}");

        var entry = SampleEntries.Minimal with { Statement = SampleEntries.MinimalStatement with { Data = SampleEntries.Json("{\"a\":" + fits.GetRawText() + "}") } };
        var bytes = entry.ToCanonicalBytes();
        LedgerEntry.Parse(bytes).ShouldBe(entry);

        var error = Should.Throw<CanonicalJsonException>((SampleEntries.Minimal with { Statement = SampleEntries.MinimalStatement with { Data = tooDeep } }).ToCanonicalBytes);
        error.Error.ShouldBe(CanonicalJsonError.DepthExceeded);
    }
}
