using System.Globalization;

namespace Ledger.Domain.Canonical;

/// <summary>
/// Formats a double as ECMAScript's <c>Number.prototype.toString()</c> does (ECMA-262 §6.1.6.1.20),
/// which is the number form RFC 8785 §3.2.2.3 requires.
/// </summary>
/// <remarks>
/// Written by hand because the BCL has no such format: <c>double.ToString("R")</c> already yields
/// the shortest digit string that round-trips (the hard part, and the same digits ECMAScript
/// chooses), but lays them out differently (<c>1E+21</c>, <c>1E-07</c>, <c>1E+16</c> where
/// ECMAScript writes <c>1e+21</c>, <c>1e-7</c>, <c>10000000000000000</c>). So the BCL picks the
/// digits and this type only re-lays them out. Pure and thread-safe.
/// </remarks>
internal static class EcmaScriptNumber
{
    /// <summary>Formats a finite double; NaN and the infinities have no JSON form and throw.</summary>
    public static string Format(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "NaN and Infinity have no JSON representation (RFC 8785 §3.2.2.3).");
        }

        if (value == 0)
        {
            // Covers -0 too: ECMAScript writes both zeros as "0".
            return "0";
        }

        var roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = roundTrip[0] == '-';
        var text = negative ? roundTrip.AsSpan(1) : roundTrip.AsSpan();

        // Split "d.ddddE+xx" into the significant digits s (k of them) and the exponent n such that
        // value = 0.s × 10^n, the notation of ECMA-262 §6.1.6.1.20 step 5.
        var exponent = 0;
        var e = text.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var point = text.IndexOf('.');
        var integerPart = point >= 0 ? text[..point] : text;
        var fractionPart = point >= 0 ? text[(point + 1)..] : [];
        var digits = string.Concat(integerPart, fractionPart);
        var n = integerPart.Length + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        n -= leadingZeros;
        var k = digits.Length;

        var result = Layout(digits, k, n);
        return negative ? "-" + result : result;
    }

    private static string Layout(string s, int k, int n)
    {
        if (k <= n && n <= 21)
        {
            // Step 6: an integer written out in full, e.g. 295147905179352830000.
            return s + new string('0', n - k);
        }

        if (0 < n && n <= 21)
        {
            // Step 7: decimal point inside the digits, e.g. 333333333.3333333.
            return string.Concat(s.AsSpan(0, n), ".", s.AsSpan(n));
        }

        if (-6 < n && n <= 0)
        {
            // Step 8: a small number with leading zeros, e.g. 0.000001.
            return "0." + new string('0', -n) + s;
        }

        // Steps 9-10: exponent form, e.g. 1e+21, 5e-324, 1.7976931348623157e+308.
        var exponent = n - 1;
        var sign = exponent < 0 ? "-" : "+";
        var magnitude = Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        return k == 1
            ? string.Concat(s, "e", sign, magnitude)
            : string.Concat(s.AsSpan(0, 1), ".", s.AsSpan(1), "e" + sign + magnitude);
    }
}
