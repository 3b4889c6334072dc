using System.Globalization;

namespace Ledger.Domain.Bundles;

/// <summary>
/// The input is not a bundle this code can read: not a bundle at all, an unknown version, a malformed or over-long
/// line, a record out of place, or a cut-off end. Says where (1-based line, byte offset of the line's start).
/// </summary>
/// <remarks>A bundle that reads well but does not verify is not this exception's business: that is the verifier's verdict.</remarks>
public sealed class BundleFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BundleFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BundleFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public BundleFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a problem on a line.</summary>
    /// <param name="line">1-based line number.</param>
    /// <param name="offset">Byte offset of the line's first byte in the bundle.</param>
    /// <param name="problem">What is wrong.</param>
    public BundleFormatException(long line, long offset, string problem)
        : base(string.Create(CultureInfo.InvariantCulture, $"line {line} (byte offset {offset}): {problem}"))
    {
        Line = line;
        Offset = offset;
        Problem = problem;
    }

    /// <summary>The 1-based line number, or 0 when not about a line.</summary>
    public long Line { get; }

    /// <summary>The byte offset of the line's start.</summary>
    public long Offset { get; }

    /// <summary>The problem without the location.</summary>
    public string? Problem { get; }
}
