using System.Diagnostics.CodeAnalysis;
using System.Text;
using Ledger.Domain.Log;

namespace Ledger.Domain.Notes;

/// <summary>
/// A note per c2sp.org/signed-note: a text ending in a newline, a blank line, and one or more signature lines.
/// </summary>
/// <remarks>
/// <para>Parsing checks the syntax only (as golang.org/x/mod/sumdb/note's <c>Open</c> does before verifying): valid
/// UTF-8, no control characters other than newline, the text separated from the signatures by the last blank line,
/// each signature line <c>— name base64</c> with a valid name and at least five decoded bytes, and at most
/// <see cref="MaxSignatures"/> signatures. Trust comes only from <see cref="NoteVerifierSet.Verify(SignedNote)"/>.</para>
/// <para>Immutable; <see cref="Format"/> reproduces the parsed bytes exactly.</para>
/// </remarks>
public sealed class SignedNote
{
    /// <summary>The most signature lines a note may carry (as the Go implementation).</summary>
    public const int MaxSignatures = 100;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private SignedNote(string text, IReadOnlyList<NoteSignature> signatures)
    {
        Text = text;
        Signatures = signatures;
    }

    /// <summary>The signed text, including its final newline but not the separating blank line.</summary>
    public string Text { get; }

    /// <summary>The signature lines in order, duplicates included.</summary>
    public IReadOnlyList<NoteSignature> Signatures { get; }

    /// <summary>Parses a UTF-8 signed note.</summary>
    /// <exception cref="FormatException">The note is malformed (the message says how).</exception>
    public static SignedNote Parse(ReadOnlySpan<byte> utf8)
    {
        string message;
        try
        {
            message = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException("The note is not valid UTF-8.");
        }

        return Parse(message);
    }

    /// <summary>Parses a signed note.</summary>
    /// <exception cref="FormatException">The note is malformed (the message says how).</exception>
    public static SignedNote Parse(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        CheckCharacters(message, "note");

        var split = message.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            throw new FormatException("The note has no blank line before its signatures.");
        }

        var text = message[..(split + 1)];
        var block = message[(split + 2)..];
        if (block.Length == 0 || block[^1] != '\n')
        {
            throw new FormatException("The note has no signature lines, or its last signature line does not end in a newline.");
        }

        var lines = block[..^1].Split('\n');
        if (lines.Length > MaxSignatures)
        {
            throw new FormatException($"The note has {lines.Length} signatures; at most {MaxSignatures} are accepted.");
        }

        var signatures = new NoteSignature[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            signatures[i] = ParseLine(lines[i], i + 1);
        }

        return new SignedNote(text, signatures);
    }

    /// <summary>Parses a signed note; false (and the reason) instead of an exception.</summary>
    public static bool TryParse(string message, [NotNullWhen(true)] out SignedNote? note, [NotNullWhen(false)] out string? error)
    {
        try
        {
            note = Parse(message);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            note = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Signs <paramref name="text"/> with each signer, in order.</summary>
    /// <exception cref="ArgumentException">The text is empty, does not end in a newline, or has forbidden characters;
    /// or no signer is given.</exception>
    public static SignedNote Sign(string text, params IEnumerable<NoteSigner> signers)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(signers);
        CheckText(text);
        var note = new SignedNote(text, []).AddSignatures(signers);
        return note.Signatures.Count > 0 ? note : throw new ArgumentException("At least one signer is needed.", nameof(signers));
    }

    /// <summary>Returns this note with signatures by <paramref name="signers"/> appended; an existing signature with
    /// the same key name and key id as a new one is dropped (as a cosigner replacing its own line).</summary>
    /// <exception cref="InvalidOperationException">The result would have more than <see cref="MaxSignatures"/> signatures.</exception>
    public SignedNote AddSignatures(params IEnumerable<NoteSigner> signers)
    {
        ArgumentNullException.ThrowIfNull(signers);
        var textBytes = Encoding.UTF8.GetBytes(Text);
        var added = new List<NoteSignature>();
        foreach (var signer in signers)
        {
            ArgumentNullException.ThrowIfNull(signer);
            added.Add(new NoteSignature(signer.Name, signer.KeyId, signer.Sign(textBytes)));
        }

        var kept = Signatures.Where(s => !added.Any(a => a.Name == s.Name && a.KeyId == s.KeyId));
        var all = kept.Concat(added).ToArray();
        return all.Length <= MaxSignatures
            ? new SignedNote(Text, all)
            : throw new InvalidOperationException($"A note carries at most {MaxSignatures} signatures; this one would have {all.Length}.");
    }

    /// <summary>The note: text, blank line, one line per signature, each ending in a newline.</summary>
    public string Format()
    {
        var builder = new StringBuilder(Text).Append('\n');
        foreach (var signature in Signatures)
        {
            builder.Append(signature.Line).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>UTF-8 bytes of <see cref="Format"/>.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes(Format());

    /// <inheritdoc />
    public override string ToString() => Format();

    internal static void CheckText(string text)
    {
        if (text.Length == 0 || text[^1] != '\n')
        {
            throw new ArgumentException("A note text is non-empty and ends in a newline.", nameof(text));
        }

        try
        {
            CheckCharacters(text, "note text");
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, nameof(text), e);
        }
    }

    /// <summary>Well-formed UTF-16 (so valid UTF-8) and no control character other than newline.</summary>
    internal static void CheckCharacters(string value, string what)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < 0x20 && c != '\n')
            {
                throw new FormatException($"The {what} has control character U+{(int)c:X4} at offset {i}.");
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new FormatException($"The {what} has an unpaired surrogate at offset {i}.");
            }
        }
    }

    private static NoteSignature ParseLine(string line, int number)
    {
        if (!line.StartsWith(NoteSignature.LinePrefix, StringComparison.Ordinal))
        {
            throw new FormatException($"Signature line {number} does not start with an em dash and a space.");
        }

        var rest = line[NoteSignature.LinePrefix.Length..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? rest : rest[..space];
        var encoded = space < 0 ? string.Empty : rest[(space + 1)..];
        if (!NoteKeys.IsValidName(name))
        {
            throw new FormatException($"Signature line {number} has an invalid key name '{name}'.");
        }

        if (!StrictBase64.TryDecode(encoded, out var raw) || raw.Length < 5)
        {
            throw new FormatException($"Signature line {number} is not base64 of a 4-byte key id and a signature.");
        }

        return new NoteSignature(name, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(raw), raw.AsSpan(4));
    }
}
