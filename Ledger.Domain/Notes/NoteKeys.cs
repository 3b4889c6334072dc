using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ledger.Domain.Notes;

/// <summary>Key names, key ids and the <c>name+id+base64</c> key texts of c2sp.org/signed-note.</summary>
internal static class NoteKeys
{
    internal const string PrivateKeyPrefix = "PRIVATE+KEY+";

    /// <summary>A key name is non-empty, well-formed, and has no Unicode space, no '+' and no control character.</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        for (var i = 0; i < name.Length;)
        {
            if (Rune.DecodeFromUtf16(name.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            if (Rune.IsWhiteSpace(rune) || rune.Value == '+' || rune.Value < 0x20 || rune.Value == 0x7F)
            {
                return false;
            }

            i += used;
        }

        return true;
    }

    /// <summary>SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4], big-endian: the recommended key id.</summary>
    public static uint KeyId(string name, byte signatureType, ReadOnlySpan<byte> publicKey)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(name));
        hash.AppendData([0x0A, signatureType]);
        hash.AppendData(publicKey);
        return BinaryPrimitives.ReadUInt32BigEndian(hash.GetHashAndReset());
    }

    /// <summary>SHA-256(DER SPKI)[:4]: the key id of an ECDSA (type 0x02) key, which does not commit to the name.</summary>
    public static uint EcdsaKeyId(ReadOnlySpan<byte> spki) => BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(spki));

    /// <summary>SHA-256(name ‖ 0x0A ‖ 0x05 ‖ SHA-256(SPKI))[:4]: the key id of an RFC 6962 (type 0x05) key.</summary>
    public static uint Rfc6962KeyId(string name, ReadOnlySpan<byte> spki) =>
        KeyId(name, NoteSignatureType.Rfc6962TreeHead, SHA256.HashData(spki));

    public static string FormatId(uint keyId) => keyId.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Exactly eight hexadecimal digits (either case).</summary>
    public static bool TryParseId(string text, out uint keyId)
    {
        keyId = 0;
        return text.Length == 8
            && text.All(char.IsAsciiHexDigit)
            && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out keyId);
    }

    /// <summary>Splits <c>name+hex+base64</c> and decodes the key bytes (type ‖ key).</summary>
    /// <exception cref="FormatException">Wrong shape, invalid name, id or base64, or fewer than two key bytes.</exception>
    public static (string Name, uint KeyId, byte[] TypeAndKey) Split(string text, string what)
    {
        var parts = text.Split('+', 3);
        if (parts.Length != 3)
        {
            throw new FormatException($"A {what} has the form name+hexid+base64; it has {parts.Length} '+'-separated parts.");
        }

        if (!IsValidName(parts[0]))
        {
            throw new FormatException($"The {what} name '{parts[0]}' is empty or has a space, '+' or control character.");
        }

        if (!TryParseId(parts[1], out var keyId))
        {
            throw new FormatException($"The {what} key id '{parts[1]}' is not eight hexadecimal digits.");
        }

        if (!Log.StrictBase64.TryDecode(parts[2], out var typeAndKey) || typeAndKey.Length < 2)
        {
            throw new FormatException($"The {what} key is not canonical base64 of a type byte and a key.");
        }

        return (parts[0], keyId, typeAndKey);
    }

    public static string Join(string name, uint keyId, byte signatureType, ReadOnlySpan<byte> key)
    {
        var typeAndKey = new byte[key.Length + 1];
        typeAndKey[0] = signatureType;
        key.CopyTo(typeAndKey.AsSpan(1));
        return name + "+" + FormatId(keyId) + "+" + Convert.ToBase64String(typeAndKey);
    }
}
