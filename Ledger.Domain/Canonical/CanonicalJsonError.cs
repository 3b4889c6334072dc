namespace Ledger.Domain.Canonical;

/// <summary>
/// The reason a text could not be canonicalized, or was not canonical. A stable code: values are
/// only ever added, never renumbered, so callers and reports may rely on them.
/// </summary>
public enum CanonicalJsonError
{
    /// <summary>The text is not JSON (RFC 8259): a syntax error, a comment, a trailing comma, an empty input or a byte-order mark.</summary>
    InvalidJson = 1,

    /// <summary>A string holds bytes that are not well-formed UTF-8 (RFC 3629): overlong forms, encoded surrogates, truncated sequences.</summary>
    InvalidUtf8 = 2,

    /// <summary>A string holds a <c>\uXXXX</c> escape of a surrogate that is not part of a high-low pair.</summary>
    LoneSurrogate = 3,

    /// <summary>A number is outside the finite IEEE 754 double range (for example <c>1e400</c>); NaN and Infinity cannot be written in JSON.</summary>
    NumberOutOfRange = 4,

    /// <summary>An object names the same key twice (after unescaping).</summary>
    DuplicateKey = 5,

    /// <summary>Objects and arrays are nested deeper than <see cref="JsonCanonicalizer.MaxDepth"/>.</summary>
    DepthExceeded = 6,

    /// <summary>Something other than whitespace follows the single top-level value.</summary>
    TrailingData = 7,

    /// <summary>The text is valid JSON but differs from its canonical form.</summary>
    NotCanonical = 8,
}
