using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Ledger.Domain.Log;

namespace Ledger.Domain.Notes;

/// <summary>
/// A transparency log checkpoint per c2sp.org/tlog-checkpoint: the text of a signed note.
/// </summary>
/// <remarks>
/// <para>Text, each line ending in a newline (U+000A): the origin (non-empty); the tree size in ASCII decimal with no
/// leading zeroes (<c>0</c> for the empty tree); the base64 RFC 6962 root hash (32 bytes); then zero or more
/// non-empty extension lines. No line has a control character.</para>
/// <para>Immutable and thread-safe. The ledger signs only checkpoints consistent with every one it signed before.</para>
/// </remarks>
public sealed class Checkpoint
{
    /// <summary>Size of the root hash (SHA-256).</summary>
    public const int HashSize = 32;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _rootHash;

    /// <summary>Creates a checkpoint.</summary>
    /// <exception cref="ArgumentException">Empty origin or extension line, a newline or control character in one,
    /// or a root hash that is not 32 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative size.</exception>
    public Checkpoint(string origin, long size, ReadOnlySpan<byte> rootHash, IEnumerable<string>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (!IsValidLine(origin))
        {
            throw new ArgumentException("The origin is non-empty and has no newline or control character.", nameof(origin));
        }

        if (rootHash.Length != HashSize)
        {
            throw new ArgumentException($"The root hash is {HashSize} bytes, not {rootHash.Length}.", nameof(rootHash));
        }

        var lines = extensions?.ToArray() ?? [];
        foreach (var line in lines)
        {
            if (!IsValidLine(line))
            {
                throw new ArgumentException("An extension line is non-empty and has no newline or control character.", nameof(extensions));
            }
        }

        Origin = origin;
        Size = size;
        _rootHash = rootHash.ToArray();
        Extensions = lines;
    }

    /// <summary>The log's origin line.</summary>
    public string Origin { get; }

    /// <summary>The number of leaves.</summary>
    public long Size { get; }

    /// <summary>The RFC 6962 root hash at <see cref="Size"/>.</summary>
    public ReadOnlyMemory<byte> RootHash => _rootHash;

    /// <summary>The extension lines (opaque), without newlines.</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>Parses checkpoint text (a note's text, ending in a newline).</summary>
    /// <exception cref="FormatException">The text is not a checkpoint (the message says why).</exception>
    public static Checkpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text[^1] != '\n')
        {
            throw new FormatException("Checkpoint text ends in a newline.");
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length < 3)
        {
            throw new FormatException($"A checkpoint has at least three lines; this one has {lines.Length}.");
        }

        if (!IsValidLine(lines[0]))
        {
            throw new FormatException("The checkpoint origin line is empty or has a control character.");
        }

        if (!TryParseDecimal(lines[1], out var size))
        {
            throw new FormatException($"The checkpoint size '{lines[1]}' is not a decimal in 0..{long.MaxValue} without leading zeroes.");
        }

        if (!StrictBase64.TryDecode(lines[2], out var root) || root.Length != HashSize)
        {
            throw new FormatException($"The checkpoint root hash '{lines[2]}' is not canonical base64 of {HashSize} bytes.");
        }

        for (var i = 3; i < lines.Length; i++)
        {
            if (!IsValidLine(lines[i]))
            {
                throw new FormatException($"Checkpoint extension line {i + 1} is empty or has a control character.");
            }
        }

        return new Checkpoint(lines[0], size, root, lines[3..]);
    }

    /// <summary>Parses checkpoint text; false (and the reason) instead of an exception.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Checkpoint? checkpoint, [NotNullWhen(false)] out string? error)
    {
        try
        {
            checkpoint = Parse(text);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            checkpoint = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Parses UTF-8 checkpoint text; false (and the reason) instead of an exception.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out Checkpoint? checkpoint, [NotNullWhen(false)] out string? error)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            checkpoint = null;
            error = "The checkpoint is not valid UTF-8.";
            return false;
        }

        return TryParse(text, out checkpoint, out error);
    }

    /// <summary>The checkpoint text: origin, size, base64 root and extension lines, each ending in a newline.</summary>
    public string ToText()
    {
        var builder = new StringBuilder()
            .Append(Origin).Append('\n')
            .Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Convert.ToBase64String(_rootHash)).Append('\n');
        foreach (var line in Extensions)
        {
            builder.Append(line).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>Signs <see cref="ToText"/> with each signer.</summary>
    public SignedNote Sign(params IEnumerable<NoteSigner> signers) => SignedNote.Sign(ToText(), signers);

    /// <inheritdoc />
    public override string ToString() => ToText();

    /// <summary>ASCII decimal, no sign, no leading zero unless the value is 0, within 0..long.MaxValue.</summary>
    internal static bool TryParseDecimal(string text, out long value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 19 || !text.All(char.IsAsciiDigit) || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsValidLine(string line)
    {
        if (line.Length == 0)
        {
            return false;
        }

        try
        {
            SignedNote.CheckCharacters(line, "line");
        }
        catch (FormatException)
        {
            return false;
        }

        return !line.Contains('\n', StringComparison.Ordinal);
    }
}
