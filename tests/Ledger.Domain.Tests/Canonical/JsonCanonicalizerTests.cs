using System.Globalization;
using System.Text;
using System.Text.Json;
using Ledger.Domain.Canonical;

namespace Ledger.Domain.Tests.Canonical;

public sealed class JsonCanonicalizerTests
{
    // RFC 8785 §3.2.2: the sample input, as the RFC writes it.
    private const string RfcSample = """
        {
          "numbers": [333333333.33333329, 1E30, 4.50,
                      2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }
        """;

    [Fact]
    public void RFC_sample_canonicalizes_to_the_text_of_section_3_2_3()
    {
        const string expected = """{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""";

        Canonical(RfcSample).ShouldBe(expected);
    }

    [Fact]
    public void RFC_sample_canonicalizes_to_the_bytes_of_section_3_2_4()
    {
        const string expectedHex = """
            7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
            75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
            5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
            65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
            5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
            30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d
            """;
        var expected = Convert.FromHexString(string.Concat(expectedHex.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));

        JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(RfcSample)).ShouldBe(expected);
    }

    [Fact]
    public void Members_are_sorted_by_UTF16_code_units_as_in_section_3_2_3()
    {
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;
        var expected =
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\"," +
            "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\"," +
            "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";

        Canonical(input).ShouldBe(expected);
    }

    [Fact]
    public void Supplementary_characters_sort_before_high_BMP_characters_as_UTF16_does_and_code_point_order_would_not()
    {
        // U+1F600 is the pair D83D DE00 in UTF-16, which sorts before U+E000 and U+FB33.
        Canonical("""{"\ue000":1,"\ud83d\ude00":2}""").ShouldBe("{\"\ud83d\ude00\":2,\"\ue000\":1}");
    }

    [Fact]
    public void Shorter_key_sorts_before_a_key_it_prefixes()
    {
        Canonical("""{"ab":1,"aa":2,"a":3,"":4}""").ShouldBe("""{"":4,"a":3,"aa":2,"ab":1}""");
    }

    [Fact]
    public void Nested_objects_are_sorted_and_array_order_is_kept()
    {
        Canonical("""{"b":[{"z":1,"y":2},3,{"d":null,"c":"x"}],"a":{"d":null,"c":"x"}}""")
            .ShouldBe("""{"a":{"c":"x","d":null},"b":[{"y":2,"z":1},3,{"c":"x","d":null}]}""");
    }

    [Fact]
    public void Whitespace_between_tokens_is_removed_and_around_the_value_is_allowed()
    {
        Canonical(" \t\r\n[ 1 ,\n\t{ \"a\" : true } , [ ] , { } ] \n").ShouldBe("""[1,{"a":true},[],{}]""");
    }

    [Theory]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("null", "null")]
    [InlineData("\"\"", "\"\"")]
    [InlineData("[]", "[]")]
    [InlineData("{}", "{}")]
    public void Top_level_scalars_and_empty_containers_are_kept(string input, string expected)
    {
        Canonical(input).ShouldBe(expected);
    }

    [Theory]
    [InlineData(0x08, "\\b")]
    [InlineData(0x09, "\\t")]
    [InlineData(0x0a, "\\n")]
    [InlineData(0x0c, "\\f")]
    [InlineData(0x0d, "\\r")]
    [InlineData(0x00, "\\u0000")]
    [InlineData(0x01, "\\u0001")]
    [InlineData(0x0b, "\\u000b")]
    [InlineData(0x0e, "\\u000e")]
    [InlineData(0x1a, "\\u001a")]
    [InlineData(0x1f, "\\u001f")]
    public void Control_characters_use_the_short_escape_or_lowercase_u00xx(int character, string expected)
    {
        var input = string.Create(CultureInfo.InvariantCulture, $"\"\\u{character:X4}\"");

        Canonical(input).ShouldBe("\"" + expected + "\"");
    }

    [Fact]
    public void Quote_and_backslash_are_escaped_and_solidus_is_not()
    {
        Canonical("""["\"", "\\", "\/", "/", "\u005C", "\u0022"]""").ShouldBe("""["\"","\\","/","/","\\","\""]""");
    }

    [Theory]
    [InlineData("\\u007f", "\u007f")]
    [InlineData("\\u00E9", "\u00e9")]
    [InlineData("\\u2028\\u2029", "\u2028\u2029")]
    [InlineData("\\uFEFF", "\ufeff")]
    [InlineData("\\uD834\\uDD1E", "\ud834\udd1e")]
    [InlineData("<>&'+", "<>&'+")]
    public void Every_other_character_is_written_as_its_literal_UTF8_bytes(string escaped, string expected)
    {
        var canonical = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes("\"" + escaped + "\""));

        canonical.ShouldBe(Encoding.UTF8.GetBytes("\"" + expected + "\""));
    }

    [Fact]
    public void Literal_UTF8_input_is_kept_byte_for_byte()
    {
        var input = Encoding.UTF8.GetBytes("{\"clé\":\"ünïcödé 😀 דּ €\"}");

        JsonCanonicalizer.Canonicalize(input).ShouldBe(input);
    }

    [Fact]
    public void Keys_that_differ_only_in_escaping_are_written_the_same_way()
    {
        Canonical("""{"\u0061\u00e9":1}""").ShouldBe("{\"a\u00e9\":1}");
    }

    [Fact]
    public void Canonicalizing_a_JsonElement_reads_only_that_element()
    {
        using var document = JsonDocument.Parse("""{ "outer": { "b" : 2, "a" : [1.0, "x"] } }""");

        var canonical = JsonCanonicalizer.Canonicalize(document.RootElement.GetProperty("outer"));

        Encoding.UTF8.GetString(canonical).ShouldBe("""{"a":[1,"x"],"b":2}""");
    }

    [Fact]
    public void Canonicalizing_a_JsonElement_catches_the_duplicate_keys_JsonDocument_accepts()
    {
        using var document = JsonDocument.Parse("""{"a":1,"a":2}""");

        var error = Should.Throw<CanonicalJsonException>(() => JsonCanonicalizer.Canonicalize(document.RootElement));

        error.Error.ShouldBe(CanonicalJsonError.DuplicateKey);
    }

    [Fact]
    public void Canonicalizing_an_undefined_JsonElement_is_an_argument_error()
    {
        Should.Throw<ArgumentException>(() => JsonCanonicalizer.Canonicalize(default(JsonElement)));
    }

    [Theory]
    [InlineData("""{"a":1,"b":[true,null,"x"]}""")]
    [InlineData("""[1e+21,0.000001,1e-7,-5e-324]""")]
    [InlineData("\"\\u001f\\n\"")]
    [InlineData("0")]
    public void Canonical_text_is_recognised_as_canonical(string input)
    {
        var bytes = Encoding.UTF8.GetBytes(input);

        JsonCanonicalizer.IsCanonical(bytes).ShouldBeTrue();
        Should.NotThrow(() => JsonCanonicalizer.EnsureCanonical(bytes));
    }

    [Theory]
    [InlineData("""{"b":1,"a":2}""", 2)]
    [InlineData("""{"a":1 }""", 6)]
    [InlineData(""" {"a":1}""", 0)]
    [InlineData("""{"a":1}""" + "\n", 7)]
    [InlineData("[1.0]", 2)]
    [InlineData("[1E2]", 2)]
    [InlineData("[-0]", 1)]
    [InlineData("\"\\u001F\"", 6)]
    [InlineData("\"\\u00e9\"", 1)]
    [InlineData("\"\\/\"", 1)]
    public void Valid_but_non_canonical_text_is_reported_at_its_first_differing_byte(string input, int offset)
    {
        var bytes = Encoding.UTF8.GetBytes(input);

        JsonCanonicalizer.IsCanonical(bytes).ShouldBeFalse();
        var error = Should.Throw<CanonicalJsonException>(() => JsonCanonicalizer.EnsureCanonical(bytes));
        error.Error.ShouldBe(CanonicalJsonError.NotCanonical);
        error.ByteOffset.ShouldBe(offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"a":1,"a":1}""")]
    [InlineData("\"\\ud800\"")]
    [InlineData("1e400")]
    public void Text_that_is_not_valid_JSON_is_not_canonical_and_IsCanonical_does_not_throw(string input)
    {
        var bytes = Encoding.UTF8.GetBytes(input);

        JsonCanonicalizer.IsCanonical(bytes).ShouldBeFalse();
        Should.Throw<CanonicalJsonException>(() => JsonCanonicalizer.EnsureCanonical(bytes)).Error.ShouldNotBe(CanonicalJsonError.NotCanonical);
    }

    private static string Canonical(string json) =>
        Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(json)));
}
