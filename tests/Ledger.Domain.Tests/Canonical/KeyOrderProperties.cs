using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Ledger.Domain.Canonical;

namespace Ledger.Domain.Tests.Canonical;

// The canonical check orders keys by their raw (canonically escaped) bytes where it can; the order must be the one of
// their values' UTF-16 code units (RFC 8785 §3.2.3) in every case.
public sealed class KeyOrderProperties
{
    [Fact]
    public void Keys_compare_as_the_UTF16_code_units_of_their_values()
    {
        // Pairs that often share a prefix, so that the first difference falls anywhere: in ASCII, in an escape, in a
        // multi-byte character, or at the end of one of them.
        var extras = Gen.Elements("", "a", "z", "\n", "\u001f", "\"", "\\", "\u00e9", "\uffff", "\ue000", "\U0001F600", "~", "\u007f");
        var pairs = Arb.From(
            from prefix in JsonModel.Strings
            from a in extras
            from b in extras
            from tailA in JsonModel.Strings
            from tailB in JsonModel.Strings
            from shared in Gen.Elements(true, false)
            select shared ? (prefix + a + tailA, prefix + b + tailB) : (a + tailA, prefix + b));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(5000), Prop.ForAll(pairs, pair =>
        {
            var left = Raw(pair.Item1);
            var right = Raw(pair.Item2);
            var expected = Math.Sign(string.CompareOrdinal(pair.Item1, pair.Item2));

            Math.Sign(JsonCanonicalizer.CompareKeys(left, right)).ShouldBe(expected, $"{pair.Item1} / {pair.Item2}");
            Math.Sign(JsonCanonicalizer.CompareKeysByValue(left, right)).ShouldBe(expected, $"{pair.Item1} / {pair.Item2}");
        }));
    }

    // The key's bytes between the quotes, as canonical text spells them.
    private static byte[] Raw(string value)
    {
        var quoted = JsonCanonicalizer.Canonicalize(JsonSerializer.SerializeToUtf8Bytes(value));
        return quoted[1..^1];
    }
}
