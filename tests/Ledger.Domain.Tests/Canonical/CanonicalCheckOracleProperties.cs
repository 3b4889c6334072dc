using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Ledger.Domain.Canonical;
using Ledger.Domain.Tests.Log;

namespace Ledger.Domain.Tests.Canonical;

// The one-pass canonical check (IsCanonical, EnsureCanonical) against the oracle: canonicalize and compare.
public sealed class CanonicalCheckOracleProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(2000);

    private static readonly Arbitrary<(JsonModel Value, int Seed)> Spelled =
        Arb.From(Gen.Zip(JsonModel.Generator, Gen.Choose(0, int.MaxValue)));

    // Bytes a mutation puts in: JSON punctuation, whitespace, escapes, digits, number parts, bytes of UTF-8 sequences.
    private static readonly byte[] Interesting =
        "{}[],:\" \t\r\n\\/ubtnfr0123456789abcdefABCDEF.eE+-xnull"u8.ToArray().Concat(new byte[] { 0x00, 0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xff }).ToArray();

    [Fact]
    public void Any_spelling_of_a_random_value_gets_the_oracles_verdict()
    {
        Check.One(Runs, Prop.ForAll(Spelled, sample =>
        {
            var text = Encoding.UTF8.GetBytes(sample.Value.Render(new Random(sample.Seed)));

            ShouldAgree(text);
        }));
    }

    [Fact]
    public void Canonical_text_of_a_random_value_passes_and_every_mutation_of_it_gets_the_oracles_verdict()
    {
        Check.One(Runs, Prop.ForAll(Spelled, sample =>
        {
            var canonical = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(sample.Value.Render(new Random(sample.Seed))));
            JsonCanonicalizer.IsCanonical(canonical).ShouldBeTrue(Encoding.UTF8.GetString(canonical));

            var random = new Random(sample.Seed);
            for (var i = 0; i < 8; i++)
            {
                ShouldAgree(Mutate(canonical, random));
            }
        }));
    }

    [Fact]
    public void Mutations_of_real_ledger_entries_get_the_oracles_verdict()
    {
        var entries = new[] { SampleEntries.Full, SampleEntries.Minimal, SampleEntries.Full with { Signature = null } }
            .Select(entry => entry.ToCanonicalBytes())
            .ToArray();
        foreach (var bytes in entries)
        {
            JsonCanonicalizer.IsCanonical(bytes).ShouldBeTrue();
        }

        Check.One(Runs, Prop.ForAll(Arb.From(Gen.Zip(Gen.Choose(0, entries.Length - 1), Gen.Choose(0, int.MaxValue))), sample =>
        {
            var random = new Random(sample.Item2);
            var mutated = entries[sample.Item1];
            for (var round = random.Next(1, 4); round > 0; round--)
            {
                mutated = Mutate(mutated, random);
            }

            ShouldAgree(mutated);
        }));
    }

    [Fact]
    public void RFC_8785_sample_is_refused_as_written_and_accepted_as_canonicalized()
    {
        var sample = Encoding.UTF8.GetBytes("""
            {
              "numbers": [333333333.33333329, 1E30, 4.50,
                          2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """);
        var canonical = Encoding.UTF8.GetBytes("""{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""");

        ShouldAgree(sample);
        JsonCanonicalizer.IsCanonical(sample).ShouldBeFalse();
        ShouldAgree(canonical);
        JsonCanonicalizer.IsCanonical(canonical).ShouldBeTrue();
    }

    [Fact]
    public void RFC_8785_key_order_sample_is_accepted_only_in_UTF16_order()
    {
        // §3.2.3: "\r" < "1" < "\u0080" < "ö" < "€" < "😀" < "\ufb33" by UTF-16 code units (not by code points).
        var sorted = "{\"\\r\":1,\"1\":2,\"\u0080\":3,\"\u00f6\":4,\"\u20ac\":5,\"\ud83d\ude00\":6,\"\ufb33\":7}";
        var byCodePoint = "{\"\\r\":1,\"1\":2,\"\u0080\":3,\"\u00f6\":4,\"\u20ac\":5,\"\ufb33\":7,\"\ud83d\ude00\":6}";

        JsonCanonicalizer.IsCanonical(Encoding.UTF8.GetBytes(sorted)).ShouldBeTrue();
        JsonCanonicalizer.IsCanonical(Encoding.UTF8.GetBytes(byCodePoint)).ShouldBeFalse();
        ShouldAgree(Encoding.UTF8.GetBytes(sorted));
        ShouldAgree(Encoding.UTF8.GetBytes(byCodePoint));
    }

    [Theory]
    [InlineData("0000000000000001")]
    [InlineData("7fefffffffffffff")]
    [InlineData("4340000000000000")]
    [InlineData("4430000000000000")]
    [InlineData("44b52d02c7e14af5")]
    [InlineData("44b52d02c7e14af6")]
    [InlineData("444b1ae4d6e2ef50")]
    [InlineData("3eb0c6f7a0b5ed8c")]
    [InlineData("3eb0c6f7a0b5ed8d")]
    [InlineData("41b3de4355555553")]
    [InlineData("becbf647612f3696")]
    [InlineData("43143ff3c1cb0959")]
    public void RFC_8785_appendix_B_numbers_are_accepted_only_in_their_ECMAScript_spelling(string bits)
    {
        var value = BitConverter.Int64BitsToDouble(long.Parse(bits, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        var canonical = EcmaScriptNumber.Format(value);

        JsonCanonicalizer.IsCanonical(Encoding.ASCII.GetBytes(canonical)).ShouldBeTrue(canonical);
        foreach (var spelling in new[] { value.ToString("E16", CultureInfo.InvariantCulture), value.ToString("R", CultureInfo.InvariantCulture), canonical + " ", "[" + canonical + " ]" })
        {
            var bytes = Encoding.ASCII.GetBytes(spelling);
            ShouldAgree(bytes);
            JsonCanonicalizer.IsCanonical(bytes).ShouldBe(string.Equals(spelling, canonical, StringComparison.Ordinal), spelling);
        }
    }

    [Theory]
    [InlineData("\"\\u000a\"")]
    [InlineData("\"\\u001F\"")]
    [InlineData("\"\\/\"")]
    [InlineData("\"\\u0041\"")]
    [InlineData("\"\\ud83d\\ude00\"")]
    [InlineData("\"\\ud800\"")]
    [InlineData("{\"a\":1,\"a\":1}")]
    [InlineData("{\"b\":1,\"a\":1}")]
    [InlineData("-0")]
    [InlineData("1.0")]
    [InlineData("1e400")]
    [InlineData("01")]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("[1,]")]
    [InlineData("{}{}")]
    public void Text_that_is_not_canonical_is_refused_with_the_oracles_reason(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        JsonCanonicalizer.IsCanonical(bytes).ShouldBeFalse();
        ShouldAgree(bytes);
        Should.Throw<CanonicalJsonException>(() => JsonCanonicalizer.EnsureCanonical(bytes));
    }

    [Theory]
    [InlineData("\"\\u001f\\b\\t\\n\\f\\r\\\"\\\\\"")]
    [InlineData("{\"\":[],\"a\":{\"\":null}}")]
    [InlineData("[true,false,null,0,-1,1e+21,0.000001,\"\u2028\u007f\"]")]
    public void Canonical_text_with_every_kind_of_token_is_accepted(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        JsonCanonicalizer.IsCanonical(bytes).ShouldBeTrue();
        ShouldAgree(bytes);
    }

    [Fact]
    public void Depth_limit_is_the_oracles()
    {
        var deepest = Encoding.ASCII.GetBytes(new string('[', JsonCanonicalizer.MaxDepth) + new string(']', JsonCanonicalizer.MaxDepth));
        var tooDeep = Encoding.ASCII.GetBytes(new string('[', JsonCanonicalizer.MaxDepth + 1) + new string(']', JsonCanonicalizer.MaxDepth + 1));
        var deepObjects = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", JsonCanonicalizer.MaxDepth)) + "1" + new string('}', JsonCanonicalizer.MaxDepth));

        JsonCanonicalizer.IsCanonical(deepest).ShouldBeTrue();
        JsonCanonicalizer.IsCanonical(tooDeep).ShouldBeFalse();
        JsonCanonicalizer.IsCanonical(deepObjects).ShouldBeTrue();
        ShouldAgree(deepest);
        ShouldAgree(tooDeep);
        ShouldAgree(deepObjects);
    }

    // Both checks give the same verdict; when they refuse, EnsureCanonical reports the oracle's error and offset.
    private static void ShouldAgree(byte[] text)
    {
        var oracle = OracleVerdict(text, out var oracleError);
        JsonCanonicalizer.IsCanonical(text).ShouldBe(oracle, Describe(text));
        if (oracle)
        {
            Should.NotThrow(() => JsonCanonicalizer.EnsureCanonical(text));
            return;
        }

        var error = Should.Throw<CanonicalJsonException>(() => JsonCanonicalizer.EnsureCanonical(text));
        error.Error.ShouldBe(oracleError!.Error, Describe(text));
        error.ByteOffset.ShouldBe(oracleError.ByteOffset, Describe(text));
    }

    private static bool OracleVerdict(byte[] text, out CanonicalJsonException? error)
    {
        try
        {
            var difference = JsonCanonicalizer.FirstDifferenceByRewriting(text);
            error = difference < 0 ? null : new CanonicalJsonException(CanonicalJsonError.NotCanonical, difference, "differs");
            return difference < 0;
        }
        catch (CanonicalJsonException e)
        {
            error = e;
            return false;
        }
    }

    private static byte[] Mutate(byte[] text, Random random)
    {
        var bytes = text.ToList();
        var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
        var interesting = Interesting[random.Next(Interesting.Length)];
        switch (random.Next(6))
        {
            case 0 when bytes.Count > 0:
                bytes[at] = interesting;
                break;
            case 1:
                bytes.Insert(at, interesting);
                break;
            case 2 when bytes.Count > 0:
                bytes.RemoveAt(at);
                break;
            case 3 when bytes.Count > 0:
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 4 when bytes.Count > 1:
                var other = random.Next(bytes.Count);
                (bytes[at], bytes[other]) = (bytes[other], bytes[at]);
                break;
            default:
                bytes.InsertRange(at, Encoding.ASCII.GetBytes(random.Next(3) switch
                {
                    0 => "\\u00" + random.Next(256).ToString("x2", CultureInfo.InvariantCulture),
                    1 => random.Next(100).ToString(CultureInfo.InvariantCulture),
                    _ => "\"a\":",
                }));
                break;
        }

        return [.. bytes];
    }

    private static string Describe(byte[] text) => Convert.ToHexString(text) + " " + Encoding.UTF8.GetString(text);
}
