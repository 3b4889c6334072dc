using System.Buffers.Binary;

namespace Ledger.Domain.Notes;

/// <summary>One signature line of a signed note: <c>— &lt;name&gt; base64(keyid[4] ‖ signature)</c>.</summary>
/// <remarks>Immutable. <see cref="Signature"/> is the algorithm's signature without the 4-byte key id. Whether the
/// signature is valid is decided by a <see cref="NoteVerifierSet"/>, never by this type.</remarks>
public sealed class NoteSignature : IEquatable<NoteSignature>
{
    /// <summary>The line prefix: em dash (U+2014) and a space.</summary>
    public const string LinePrefix = "\u2014 ";

    private readonly byte[] _signature;

    /// <summary>Creates a signature line from its parts.</summary>
    /// <exception cref="ArgumentException">The name is not a valid key name, or the signature is empty.</exception>
    public NoteSignature(string name, uint keyId, ReadOnlySpan<byte> signature)
    {
        if (!NoteKeys.IsValidName(name))
        {
            throw new ArgumentException($"The key name '{name}' is empty or has a space, '+' or control character.", nameof(name));
        }

        if (signature.IsEmpty)
        {
            throw new ArgumentException("A note signature has at least one byte after the key id.", nameof(signature));
        }

        Name = name;
        KeyId = keyId;
        _signature = signature.ToArray();
        var raw = new byte[4 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(raw, keyId);
        signature.CopyTo(raw.AsSpan(4));
        Base64 = Convert.ToBase64String(raw);
    }

    /// <summary>The key name.</summary>
    public string Name { get; }

    /// <summary>The 32-bit key id (first four bytes of the decoded value, big-endian).</summary>
    public uint KeyId { get; }

    /// <summary>The signature bytes after the key id.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>base64(keyid ‖ signature), as on the line.</summary>
    public string Base64 { get; }

    /// <summary>The whole line without its final newline.</summary>
    public string Line => LinePrefix + Name + " " + Base64;

    /// <inheritdoc />
    public bool Equals(NoteSignature? other) =>
        other is not null && string.Equals(Line, other.Line, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NoteSignature);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Line);

    /// <inheritdoc />
    public override string ToString() => Line;
}
