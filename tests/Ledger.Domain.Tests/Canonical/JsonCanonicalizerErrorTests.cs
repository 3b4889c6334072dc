using System.Text;
using Ledger.Domain.Canonical;

namespace Ledger.Domain.Tests.Canonical;

public sealed class JsonCanonicalizerErrorTests
{
    [Theory]
    [InlineData("\"a\\ud800b\"", 2)]
    [InlineData("\"\\udc00\"", 1)]
    [InlineData("\"\\ud800\\u0041\"", 1)]
    [InlineData("\"\\ude00\\ud83d\"", 1)]
    [InlineData("\"ok \\ud83d\\ude00 then \\ud83d\"", 22)]
    [InlineData("{\"\\ud800\":1}", 2)]
    [InlineData("[\"x\",\"\\uDBFF\"]", 6)]
    public void Escaped_lone_surrogate_is_rejected_where_it_stands(string input, int offset)
    {
        var error = Fail(Encoding.UTF8.GetBytes(input), CanonicalJsonError.LoneSurrogate, offset);

        error.Message.ShouldContain("surrogate");
    }

    [Theory]
    [InlineData(new byte[] { 0x22, 0xc3, 0x28, 0x22 }, 1)]
    [InlineData(new byte[] { 0x22, 0x61, 0xc0, 0xaf, 0x22 }, 2)]
    [InlineData(new byte[] { 0x22, 0xed, 0xa0, 0x80, 0x22 }, 1)]
    [InlineData(new byte[] { 0x22, 0xf0, 0x9f, 0x98, 0x22 }, 1)]
    [InlineData(new byte[] { 0x22, 0x61, 0x62, 0xff, 0x22 }, 3)]
    [InlineData(new byte[] { 0x22, 0x5c, 0x6e, 0x80, 0x22 }, 3)]
    [InlineData(new byte[] { 0x7b, 0x22, 0xfe, 0x22, 0x3a, 0x31, 0x7d }, 2)]
    public void Invalid_UTF8_in_a_string_is_rejected_at_the_bad_byte(byte[] input, int offset)
    {
        var error = Fail(input, CanonicalJsonError.InvalidUtf8, offset);

        error.Message.ShouldContain("UTF-8");
    }

    [Fact]
    public void Invalid_UTF8_outside_a_string_is_invalid_JSON()
    {
        Fail([0x5b, 0xff, 0x5d], CanonicalJsonError.InvalidJson, 1);
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""", 7)]
    [InlineData("""{"b":1,"a":2,"b":3}""", 13)]
    [InlineData("""{"a":1,"\u0061":2}""", 7)]
    [InlineData("""[{"x":{"k":1,"j":2,"k":3}}]""", 19)]
    public void Duplicate_key_is_rejected_at_its_second_occurrence(string input, int offset)
    {
        var error = Fail(Encoding.UTF8.GetBytes(input), CanonicalJsonError.DuplicateKey, offset);

        error.Message.ShouldContain("member named");
    }

    [Theory]
    [InlineData("{} x", 3)]
    [InlineData("1 2", 2)]
    [InlineData("{}}", 2)]
    [InlineData("[1]\n\n,", 5)]
    public void Anything_after_the_top_level_value_is_rejected(string input, int offset)
    {
        Fail(Encoding.UTF8.GetBytes(input), CanonicalJsonError.TrailingData, offset);
    }

    [Fact]
    public void Nesting_up_to_the_maximum_depth_is_accepted()
    {
        var input = new string('[', JsonCanonicalizer.MaxDepth) + new string(']', JsonCanonicalizer.MaxDepth);

        Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(input))).ShouldBe(input);
    }

    [Fact]
    public void Array_nesting_beyond_the_maximum_depth_is_rejected()
    {
        var depth = JsonCanonicalizer.MaxDepth + 1;
        var input = new string('[', depth) + new string(']', depth);

        Fail(Encoding.UTF8.GetBytes(input), CanonicalJsonError.DepthExceeded, JsonCanonicalizer.MaxDepth);
    }

    [Fact]
    public void Object_nesting_beyond_the_maximum_depth_is_rejected()
    {
        var input = new StringBuilder();
        for (var i = 0; i <= JsonCanonicalizer.MaxDepth; i++)
        {
            input.Append("{\"a\":");
        }

        input.Append('1').Append('}', JsonCanonicalizer.MaxDepth + 1);

        Fail(Encoding.UTF8.GetBytes(input.ToString()), CanonicalJsonError.DepthExceeded, JsonCanonicalizer.MaxDepth * 5);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("   ", 3)]
    [InlineData("{\"a\":1 /* note */}", 7)]
    [InlineData("// note\n1", 0)]
    [InlineData("[1,]", 3)]
    [InlineData("{\"a\":1,}", 7)]
    [InlineData("{'a':1}", 1)]
    [InlineData("{a:1}", 1)]
    [InlineData("01", 1)]
    [InlineData("+1", 0)]
    [InlineData(".5", 0)]
    [InlineData("1.", 2)]
    [InlineData("\"a\tb\"", 2)]
    [InlineData("\"\\x\"", 2)]
    [InlineData("\"\\u12G4\"", 5)]
    [InlineData("{\"a\":", 5)]
    [InlineData("[1 2]", 3)]
    [InlineData("tru", 3)]
    [InlineData("{\n  \"a\": 1,\n  \"b\" x}", 18)]
    public void Text_that_is_not_JSON_is_rejected_with_the_offset_of_the_offence(string input, int offset)
    {
        Fail(Encoding.UTF8.GetBytes(input), CanonicalJsonError.InvalidJson, offset);
    }

    [Fact]
    public void Byte_order_mark_is_rejected()
    {
        Fail([0xef, 0xbb, 0xbf, 0x31], CanonicalJsonError.InvalidJson, 0);
    }

    [Fact]
    public void Error_message_names_the_offence_and_the_byte_offset()
    {
        var error = Should.Throw<CanonicalJsonException>(() => JsonCanonicalizer.Canonicalize("""{"a":1,"a":2}"""u8));

        error.Message.ShouldBe("DuplicateKey at byte offset 7: the object already has a member named \"a\".");
        error.Detail.ShouldBe("the object already has a member named \"a\".");
    }

    [Fact]
    public void Parser_error_keeps_the_parser_exception_as_inner_exception()
    {
        var error = Should.Throw<CanonicalJsonException>(() => JsonCanonicalizer.Canonicalize("[1,]"u8));

        error.InnerException.ShouldBeAssignableTo<System.Text.Json.JsonException>();
        error.Message.ShouldStartWith("InvalidJson at byte offset 3: ");
        error.Message.ShouldNotContain("LineNumber");
    }

    private static CanonicalJsonException Fail(byte[] input, CanonicalJsonError expected, long offset)
    {
        var error = Should.Throw<CanonicalJsonException>(() => JsonCanonicalizer.Canonicalize(input));
        error.Error.ShouldBe(expected, error.Message);
        error.ByteOffset.ShouldBe(offset, error.Message);
        return error;
    }
}
