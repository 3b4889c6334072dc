using System.Runtime.InteropServices;
using System.Text.Json;

namespace Ledger.Domain.Canonical;

/// <summary>
/// The JSON Canonicalization Scheme, <see href="https://www.rfc-editor.org/rfc/rfc8785">RFC 8785</see>:
/// the one encoding whose bytes the ledger hashes and signs.
/// </summary>
/// <remarks>
/// <para>
/// Input is UTF-8 JSON (RFC 8259), read strictly: no comments, no trailing commas, no byte-order
/// mark, at most <see cref="MaxDepth"/> nested objects and arrays, exactly one top-level value
/// (whitespace around it is allowed). Beyond what RFC 8259 requires, RFC 8785 §3.1 (I-JSON, RFC 7493)
/// rejects duplicate object keys, invalid UTF-8, escaped lone surrogates and numbers that are not
/// finite IEEE 754 doubles; each is a <see cref="CanonicalJsonException"/> naming the offence and
/// its byte offset.
/// </para>
/// <para>
/// Output (RFC 8785 §3.2): no whitespace; object members sorted by the UTF-16 code units of their
/// unescaped keys; strings escaped as in <c>JSON.stringify</c> (§3.2.2.2); numbers as ECMAScript
/// writes them (§3.2.2.3), e.g. <c>1e+21</c>, <c>0.000001</c>, <c>-0</c> as <c>0</c>; <c>true</c>,
/// <c>false</c>, <c>null</c> as such. Canonicalization is idempotent: canonical input comes back
/// byte for byte. A number is read as the nearest double, so integers beyond 2^53 and decimals with
/// more than 17 significant digits are rounded, as RFC 8785 §3.2.2.3 prescribes.
/// </para>
/// <para>Thread-safe: the type holds no state.</para>
/// </remarks>
public static partial class JsonCanonicalizer
{
    /// <summary>The deepest nesting of objects and arrays accepted; <c>[[1]]</c> has depth 2.</summary>
    public const int MaxDepth = 64;

    /// <summary>Returns the RFC 8785 canonical form of a UTF-8 JSON text.</summary>
    /// <param name="utf8Json">One JSON value, in UTF-8.</param>
    /// <returns>The canonical UTF-8 bytes.</returns>
    /// <exception cref="CanonicalJsonException">The input is not JSON or breaks an RFC 8785 restriction.</exception>
    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        var buffer = new CanonicalBuffer(utf8Json.Length);
        Canonicalize(utf8Json, buffer);
        return buffer.ToArray();
    }

    /// <summary>Returns the RFC 8785 canonical form of a parsed JSON value.</summary>
    /// <remarks>
    /// The element's original text is read again with the rules of <see cref="Canonicalize(ReadOnlySpan{byte})"/>
    /// (so duplicate keys that <see cref="JsonDocument"/> let through are caught here), and byte offsets in
    /// errors count from the start of that element's text.
    /// </remarks>
    /// <param name="element">A JSON value from a live <see cref="JsonDocument"/> (or a cloned element).</param>
    /// <returns>The canonical UTF-8 bytes.</returns>
    /// <exception cref="ArgumentException">The element is <c>default</c> (undefined).</exception>
    /// <exception cref="CanonicalJsonException">The value breaks an RFC 8785 restriction.</exception>
    public static byte[] Canonicalize(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The JSON element is undefined (a default JsonElement); there is nothing to canonicalize.", nameof(element));
        }

        return Canonicalize(JsonMarshal.GetRawUtf8Value(element));
    }

    /// <summary>Whether <paramref name="utf8Json"/> is valid JSON that is already byte for byte in RFC 8785 canonical form.</summary>
    /// <remarks>
    /// Never throws: input that is not JSON at all is simply not canonical. <see cref="EnsureCanonical"/> says why.
    /// Decided in one forward pass over the bytes, without producing the canonical form.
    /// </remarks>
    /// <param name="utf8Json">The UTF-8 text to check.</param>
    /// <returns><see langword="true"/> if canonicalizing the text would return it unchanged.</returns>
    public static bool IsCanonical(ReadOnlySpan<byte> utf8Json) => IsCanonicalOnePass(utf8Json);

    /// <summary>Throws unless <paramref name="utf8Json"/> is valid JSON already in RFC 8785 canonical form.</summary>
    /// <remarks>
    /// Canonical text is accepted in one forward pass (<see cref="IsCanonical"/>); only text that fails it is
    /// canonicalized, to name the offence and where it is.
    /// </remarks>
    /// <param name="utf8Json">The UTF-8 text to check.</param>
    /// <exception cref="CanonicalJsonException">
    /// The text is not JSON or breaks an RFC 8785 restriction (with that error), or it differs from its
    /// canonical form (<see cref="CanonicalJsonError.NotCanonical"/>, at the first differing byte).
    /// </exception>
    public static void EnsureCanonical(ReadOnlySpan<byte> utf8Json)
    {
        if (IsCanonicalOnePass(utf8Json))
        {
            return;
        }

        var difference = FirstDifference(utf8Json);
        throw new CanonicalJsonException(
            CanonicalJsonError.NotCanonical,
            Math.Max(difference, 0),
            difference >= 0
                ? "the text is valid JSON but not in RFC 8785 canonical form (whitespace, member order, string escapes or number form differ)."
                : "the one-pass canonical check refused text that canonicalizes to itself; refused to be safe (a defect of the check).");
    }

    /// <summary>The canonical check by canonicalizing and comparing: the oracle the one-pass check is tested against.</summary>
    /// <returns>The offset of the first byte that differs from the canonical form, or -1 when there is none.</returns>
    /// <exception cref="CanonicalJsonException">The text is not JSON or breaks an RFC 8785 restriction.</exception>
    internal static int FirstDifferenceByRewriting(ReadOnlySpan<byte> utf8Json) => FirstDifference(utf8Json);

    private static int FirstDifference(ReadOnlySpan<byte> utf8Json)
    {
        var buffer = new CanonicalBuffer(utf8Json.Length);
        Canonicalize(utf8Json, buffer);
        var canonical = buffer.WrittenSpan;
        var common = utf8Json.CommonPrefixLength(canonical);
        return common == utf8Json.Length && common == canonical.Length ? -1 : common;
    }
}
