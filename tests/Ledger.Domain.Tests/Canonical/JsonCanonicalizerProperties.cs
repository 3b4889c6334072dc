using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Ledger.Domain.Canonical;

namespace Ledger.Domain.Tests.Canonical;

public sealed partial class JsonCanonicalizerProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(400);

    // A value and a seed that picks how it is spelled (member order, whitespace, escapes, number form).
    private static readonly Arbitrary<(JsonModel Value, int Seed)> Spelled =
        Arb.From(Gen.Zip(JsonModel.Generator, Gen.Choose(0, int.MaxValue)));

    [Fact]
    public void Canonicalizing_canonical_output_returns_it_unchanged()
    {
        Check.One(Runs, Prop.ForAll(Spelled, sample =>
        {
            var canonical = Canonicalize(sample.Value.Render(new Random(sample.Seed)));

            JsonCanonicalizer.Canonicalize(canonical).ShouldBe(canonical);
            JsonCanonicalizer.IsCanonical(canonical).ShouldBeTrue();
        }));
    }

    [Fact]
    public void Canonical_output_does_not_depend_on_member_order_whitespace_escapes_or_number_spelling()
    {
        Check.One(Runs, Prop.ForAll(Spelled, sample =>
        {
            var first = sample.Value.Render(new Random(sample.Seed));
            var second = sample.Value.Render(new Random(~sample.Seed));

            Canonicalize(first).ShouldBe(Canonicalize(second), $"{first}\n{second}");
        }));
    }

    [Fact]
    public void Canonical_output_holds_the_same_value_with_sorted_members_and_no_whitespace()
    {
        Check.One(Runs, Prop.ForAll(Spelled, sample =>
        {
            var canonical = Canonicalize(sample.Value.Render(new Random(sample.Seed)));

            HasWhitespaceOutsideStrings(canonical).ShouldBeFalse();
            using var document = JsonDocument.Parse(canonical);
            ShouldMatch(document.RootElement, sample.Value);
        }));
    }

    [Fact]
    public void Every_finite_double_is_written_in_ECMAScript_form_and_reads_back_as_itself()
    {
        var doubles = Arb.From(JsonModel.AnyFiniteDouble);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(5000), Prop.ForAll(doubles, value =>
        {
            var text = Encoding.ASCII.GetString(Canonicalize(value.ToString("R", CultureInfo.InvariantCulture)));

            EcmaScriptNumberShape().IsMatch(text).ShouldBeTrue(text);
            double.Parse(text, CultureInfo.InvariantCulture).ShouldBe(value == 0 ? 0 : value);
        }));
    }

    private static byte[] Canonicalize(string json) => JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(json));

    private static void ShouldMatch(JsonElement actual, JsonModel expected)
    {
        switch (expected)
        {
            case JsonLiteral literal:
                actual.GetRawText().ShouldBe(literal.Text);
                break;
            case JsonNumber number:
                actual.GetDouble().ShouldBe(number.Value);
                break;
            case JsonString text:
                actual.GetString().ShouldBe(text.Value);
                break;
            case JsonArray array:
                actual.GetArrayLength().ShouldBe(array.Items.Length);
                for (var i = 0; i < array.Items.Length; i++)
                {
                    ShouldMatch(actual[i], array.Items[i]);
                }

                break;
            case JsonObject obj:
                var members = actual.EnumerateObject().ToList();
                var sorted = obj.Members.OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
                members.Select(m => m.Name).ShouldBe(sorted.Select(m => m.Key));
                for (var i = 0; i < sorted.Count; i++)
                {
                    ShouldMatch(members[i].Value, sorted[i].Value);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expected), expected, "unknown model node");
        }
    }

    private static bool HasWhitespaceOutsideStrings(ReadOnlySpan<byte> json)
    {
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (inString)
            {
                if (b == '\\')
                {
                    i++;
                }
                else if (b == '"')
                {
                    inString = false;
                }
            }
            else if (b == '"')
            {
                inString = true;
            }
            else if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                return true;
            }
        }

        return false;
    }

    // ECMA-262 Number::toString output: no leading zeros, no trailing fractional zeros, lowercase e with a sign.
    [GeneratedRegex("^-?(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?(e[+-][1-9][0-9]*)?$")]
    private static partial Regex EcmaScriptNumberShape();
}
