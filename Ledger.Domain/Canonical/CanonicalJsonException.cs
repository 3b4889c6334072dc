using System.Globalization;

namespace Ledger.Domain.Canonical;

/// <summary>
/// Thrown when a text cannot be brought into RFC 8785 canonical form, or is required to be in that
/// form and is not.
/// </summary>
/// <remarks>
/// The message names the offence and the byte offset (0-based, into the UTF-8 input that was passed
/// to <see cref="JsonCanonicalizer"/>) where it was found; <see cref="Error"/> and
/// <see cref="ByteOffset"/> carry the same facts for programs.
/// </remarks>
public sealed class CanonicalJsonException : FormatException
{
    /// <summary>Creates an exception for <paramref name="error"/> found at <paramref name="byteOffset"/>.</summary>
    /// <param name="error">What is wrong.</param>
    /// <param name="byteOffset">0-based offset into the UTF-8 input.</param>
    /// <param name="detail">A sentence describing the offence, without the offset.</param>
    /// <param name="innerException">The parser's exception, when there is one.</param>
    public CanonicalJsonException(CanonicalJsonError error, long byteOffset, string detail, Exception? innerException = null)
        : base(Describe(error, byteOffset, detail), innerException)
    {
        Error = error;
        ByteOffset = byteOffset;
        Detail = detail;
    }

    /// <summary>What is wrong with the input.</summary>
    public CanonicalJsonError Error { get; }

    /// <summary>0-based offset into the UTF-8 input at which the offence was found.</summary>
    public long ByteOffset { get; }

    /// <summary>The sentence describing the offence, as passed to the constructor (the message without code and offset).</summary>
    public string Detail { get; }

    private static string Describe(CanonicalJsonError error, long byteOffset, string detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return string.Create(CultureInfo.InvariantCulture, $"{error} at byte offset {byteOffset}: {detail}");
    }
}
