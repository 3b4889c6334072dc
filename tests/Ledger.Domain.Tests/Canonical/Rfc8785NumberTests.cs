using System.Globalization;
using System.Text;
using Ledger.Domain.Canonical;

namespace Ledger.Domain.Tests.Canonical;

public sealed class Rfc8785NumberTests
{
    // RFC 8785 Appendix B, "Number Serialization Samples": IEEE 754 bits and the text JCS writes.
    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void Appendix_B_sample_is_written_as_the_RFC_prescribes(string bits, string expected)
    {
        var value = FromBits(bits);

        EcmaScriptNumber.Format(value).ShouldBe(expected);
        Canonical(value.ToString("R", CultureInfo.InvariantCulture)).ShouldBe(expected);
        Canonical(value.ToString("E16", CultureInfo.InvariantCulture)).ShouldBe(expected);
    }

    // Appendix B's NaN and Infinity rows: §3.2.2.3 says such values must cause an error.
    [Theory]
    [InlineData("7fffffffffffffff")]
    [InlineData("7ff0000000000000")]
    [InlineData("fff0000000000000")]
    public void Appendix_B_NaN_and_Infinity_have_no_canonical_form(string bits)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => EcmaScriptNumber.Format(FromBits(bits)));
    }

    [Theory]
    [InlineData("1E30", "1e+30")]
    [InlineData("4.50", "4.5")]
    [InlineData("2e-3", "0.002")]
    [InlineData("0.000000000000000000000000001", "1e-27")]
    [InlineData("333333333.33333329", "333333333.3333333")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1e-6", "0.000001")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("1.5e-7", "1.5e-7")]
    [InlineData("-1.5E+300", "-1.5e+300")]
    [InlineData("1152921504606846976", "1152921504606847000")]
    [InlineData("100", "100")]
    [InlineData("1E+2", "100")]
    [InlineData("-0", "0")]
    [InlineData("-0.0e-5", "0")]
    [InlineData("0.1", "0.1")]
    [InlineData("123.456e5", "12345600")]
    [InlineData("9007199254740993", "9007199254740992")]
    [InlineData("1e-400", "0")]
    [InlineData("0", "0")]
    [InlineData("-7", "-7")]
    [InlineData("999999999999999", "999999999999999")]
    [InlineData("-999999999999999", "-999999999999999")]
    [InlineData("9999999999999999", "10000000000000000")]
    [InlineData("12345678901234567890", "12345678901234567000")]
    public void Number_text_is_rewritten_to_the_ECMAScript_form_of_its_nearest_double(string input, string expected)
    {
        Canonical(input).ShouldBe(expected);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1.8e308")]
    public void Number_beyond_the_double_range_is_rejected(string input)
    {
        var error = Should.Throw<CanonicalJsonException>(() => JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes("[1," + input + "]")));

        error.Error.ShouldBe(CanonicalJsonError.NumberOutOfRange);
        error.ByteOffset.ShouldBe(3);
        error.Message.ShouldContain(input);
        error.Message.ShouldContain("byte offset 3");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void NaN_and_Infinity_literals_are_not_JSON(string input)
    {
        var error = Should.Throw<CanonicalJsonException>(() => JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(input)));

        error.Error.ShouldBe(CanonicalJsonError.InvalidJson);
    }

    private static double FromBits(string bits) =>
        BitConverter.UInt64BitsToDouble(ulong.Parse(bits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));

    private static string Canonical(string json) =>
        Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(json)));
}
