using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Ledger.Domain.Log;

namespace Ledger.Domain.Tests.Log;

public sealed class StrictBase64Properties
{
    [Fact]
    public void Reading_the_UTF8_bytes_gives_what_reading_the_string_gives()
    {
        // Encodings of random bytes, then one change each: a character replaced, inserted or removed, padding moved, or none.
        var alphabet = "ABCZaz09+/= \n-_\u00e9";
        var samples = Arb.From(
            from bytes in Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n))
            from change in Gen.Choose(0, 4)
            from at in Gen.Choose(0, int.MaxValue)
            from c in Gen.Elements(alphabet.ToCharArray())
            select (bytes, change, at, c));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), Prop.ForAll(samples, sample =>
        {
            var text = Convert.ToBase64String(sample.bytes);
            var i = text.Length == 0 ? 0 : sample.at % text.Length;
            text = sample.change switch
            {
                0 when text.Length > 0 => text[..i] + sample.c + text[(i + 1)..],
                1 => text.Insert(i, sample.c.ToString()),
                2 when text.Length > 0 => text.Remove(i, 1),
                3 => text.TrimEnd('=') + "==",
                _ => text,
            };

            var fromString = StrictBase64.TryDecode(text, out var stringBytes);
            var fromUtf8 = StrictBase64.TryDecode(Encoding.UTF8.GetBytes(text), out var utf8Bytes);
            fromUtf8.ShouldBe(fromString, text);
            if (fromString)
            {
                // (What a refusal leaves in the out value is not part of the contract.)
                utf8Bytes.ShouldBe(stringBytes, text);
            }
        }));
    }

    [Fact]
    public void A_hash_with_nonzero_pad_bits_is_refused_from_its_bytes()
    {
        // "AAB=" decodes (to 00 00) but is not how 00 00 is written ("AAA=").
        StrictBase64.TryDecode("AAA="u8, out var bytes).ShouldBeTrue();
        bytes.ShouldBe(new byte[] { 0, 0 });
        StrictBase64.TryDecode("AAB="u8, out _).ShouldBeFalse();
        StrictBase64.TryDecode(""u8, out _).ShouldBeFalse();
    }
}
