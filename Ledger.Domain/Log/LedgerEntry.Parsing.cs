using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Canonical;
using Ledger.Domain.Events;

namespace Ledger.Domain.Log;

public sealed partial record LedgerEntry
{
    private static readonly string[] MemberNames =
    [
        "data", "domain", "emitter", "eventId", "metadata", "occurredAt", "origin",
        "position", "prev", "recordedAt", "signature", "stream", "streamVersion", "type",
    ];

    private static readonly string[] SignatureMemberNames = ["alg", "keyId", "value"];

    /// <summary>
    /// Reads an entry from its canonical bytes, strictly: the text must be RFC 8785 canonical, an object with
    /// exactly the fourteen members (no more, no fewer), each of the right JSON kind and meeting the invariants.
    /// </summary>
    /// <param name="canonicalBytes">One entry's canonical UTF-8 bytes, without a trailing newline.</param>
    /// <returns>The entry; <see cref="ToCanonicalBytes"/> on it returns the same bytes.</returns>
    /// <exception cref="CanonicalJsonException">The text is not JSON, breaks RFC 8785, or is not in canonical form.</exception>
    /// <exception cref="FormatException">A member is missing, unexpected, of the wrong kind, or has an invalid value.</exception>
    /// <remarks>
    /// Canonical, well-formed entries are checked and read in one pass over the bytes; anything that pass declines is
    /// checked again by <see cref="JsonCanonicalizer.EnsureCanonical"/> and read by <see cref="ParseTrusted"/>, which
    /// name the problem. Both give the same entry or the same error (the property tests hold them to it).
    /// </remarks>
    public static LedgerEntry Parse(ReadOnlySpan<byte> canonicalBytes) =>
        TryReadInOrder(canonicalBytes, checkCanonical: true) ?? ParseInTwoPasses(canonicalBytes);

    /// <summary><see cref="Parse"/> without the one-pass read: the canonical check, then <see cref="ParseTrusted"/>.</summary>
    internal static LedgerEntry ParseInTwoPasses(ReadOnlySpan<byte> canonicalBytes)
    {
        JsonCanonicalizer.EnsureCanonical(canonicalBytes);
        return ParseTrusted(canonicalBytes);
    }

    /// <summary>
    /// Reads an entry the caller itself wrote as canonical bytes (the store reading its own rows back): every
    /// check of <see cref="Parse"/> except the RFC 8785 canonical form, which those bytes were produced in. Never
    /// for bytes from outside (a bundle, a peer, a request): the verifier and every import use <see cref="Parse"/>.
    /// </summary>
    /// <param name="canonicalBytes">One entry's canonical UTF-8 bytes, as the ledger produced them.</param>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    /// <exception cref="FormatException">A member is missing, unexpected, of the wrong kind, or has an invalid value.</exception>
    public static LedgerEntry ParseTrusted(ReadOnlySpan<byte> canonicalBytes) =>
        TryReadInOrder(canonicalBytes, checkCanonical: false) ?? ReadDocument(canonicalBytes);

    /// <summary><see cref="Parse"/> without the cheap in-order read: the reference the tests hold that read to.</summary>
    internal static LedgerEntry ParseByDocument(ReadOnlySpan<byte> canonicalBytes)
    {
        JsonCanonicalizer.EnsureCanonical(canonicalBytes);
        return ReadDocument(canonicalBytes);
    }

    // The read that explains: every member looked up by name, every problem named.
    /// <summary>
    /// Reads <c>recordedAt</c> (<see cref="RecordedAtFormat"/>). Well-formed values take the fast path; anything it does
    /// not take gets the BCL's exact parse, so the verdict is the BCL's.
    /// </summary>
    internal static bool TryParseRecordedAt(string? text, out DateTimeOffset value) =>
        Rfc3339.TryParseCanonical(text, out value)
        || DateTimeOffset.TryParseExact(text, RecordedAtFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    private static LedgerEntry ReadDocument(ReadOnlySpan<byte> canonicalBytes)
    {
        using var document = JsonDocument.Parse(
            canonicalBytes.ToArray(),
            new JsonDocumentOptions { MaxDepth = JsonCanonicalizer.MaxDepth + 1 });
        var root = document.RootElement;
        RequireKind(root, "the entry", JsonValueKind.Object);
        RequireExactMembers(root, "the entry", MemberNames);

        var recordedAtText = String(root, "recordedAt");
        if (!TryParseRecordedAt(recordedAtText, out var recordedAt))
        {
            throw Invalid("recordedAt", $"\"{recordedAtText}\" is not of the form yyyy-MM-ddTHH:mm:ss.ffffffZ");
        }

        byte[]? prev = null;
        if (NullableString(root, "prev") is { } prevText)
        {
            if (!StrictBase64.TryDecode(prevText, out var hash) || hash.Length != 32)
            {
                throw Invalid("prev", "is not the base64 of a 32-byte hash");
            }

            prev = hash;
        }

        try
        {
            var statement = new EmitterStatement(
                String(root, "stream"),
                String(root, "eventId"),
                String(root, "type"),
                String(root, "domain"),
                String(root, "emitter"),
                NullableString(root, "occurredAt"),
                Object(root, "data"),
                NullableObject(root, "metadata"));
            return new LedgerEntry(
                String(root, "origin"),
                Integer(root, "position"),
                recordedAt,
                Integer(root, "streamVersion"),
                statement,
                ReadSignature(root),
                prev);
        }
        catch (ArgumentException e)
        {
            throw new FormatException("The entry's values are invalid: " + e.Message, e);
        }
    }

    private static EmitterSignature? ReadSignature(JsonElement root)
    {
        var signature = root.GetProperty("signature");
        RequireKind(signature, "signature", JsonValueKind.Object, JsonValueKind.Null);
        if (signature.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        RequireExactMembers(signature, "signature", SignatureMemberNames);
        return new EmitterSignature(
            String(signature, "alg", "signature."),
            String(signature, "keyId", "signature."),
            String(signature, "value", "signature."));
    }

    private static void RequireExactMembers(JsonElement value, string what, string[] expected)
    {
        var present = new List<string>();
        foreach (var member in value.EnumerateObject())
        {
            present.Add(member.Name);
        }

        var missing = expected.Except(present, StringComparer.Ordinal).ToList();
        var extra = present.Except(expected, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            throw new FormatException(
                $"{what} must have exactly the members {string.Join(", ", expected)}; " +
                $"missing: [{string.Join(", ", missing)}], unexpected: [{string.Join(", ", extra)}].");
        }
    }

    private static void RequireKind(JsonElement value, string what, params JsonValueKind[] kinds)
    {
        if (!kinds.Contains(value.ValueKind))
        {
            throw new FormatException(
                $"{what} must be {string.Join(" or ", kinds.Select(KindName))}, not {KindName(value.ValueKind)}.");
        }
    }

    private static string String(JsonElement parent, string name, string path = "")
    {
        var value = parent.GetProperty(name);
        RequireKind(value, path + name, JsonValueKind.String);
        return value.GetString()!;
    }

    private static string? NullableString(JsonElement parent, string name)
    {
        var value = parent.GetProperty(name);
        RequireKind(value, name, JsonValueKind.String, JsonValueKind.Null);
        return value.GetString();
    }

    private static long Integer(JsonElement parent, string name)
    {
        var value = parent.GetProperty(name);
        RequireKind(value, name, JsonValueKind.Number);
        if (!value.TryGetInt64(out var number))
        {
            throw Invalid(name, $"{value.GetRawText()} is not an integer");
        }

        return number;
    }

    private static JsonElement Object(JsonElement parent, string name)
    {
        var value = parent.GetProperty(name);
        RequireKind(value, name, JsonValueKind.Object);
        return value;
    }

    private static JsonElement? NullableObject(JsonElement parent, string name)
    {
        var value = parent.GetProperty(name);
        RequireKind(value, name, JsonValueKind.Object, JsonValueKind.Null);
        return value.ValueKind == JsonValueKind.Null ? null : value;
    }

    private static FormatException Invalid(string name, string problem) => new($"{name}: {problem}.");

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
