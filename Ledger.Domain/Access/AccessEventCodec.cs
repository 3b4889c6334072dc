using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ledger.Domain.Events;

namespace Ledger.Domain.Access;

/// <summary>Reads and writes the data of <c>token.minted.v1</c> and <c>token.revoked.v1</c>.</summary>
/// <remarks>Strict: required members, kinds, formats, no unknown members. Stateless and thread-safe.</remarks>
public static partial class AccessEventCodec
{
    private static readonly Dictionary<string, Func<DataReader, IAccessEvent?>> Readers = new(StringComparer.Ordinal)
    {
        [WireNames.Of<TokenMinted>()] = ReadMinted,
        [WireNames.Of<TokenRevoked>()] = ReadRevoked,
    };

    /// <summary>The wire names of the token events.</summary>
    public static IReadOnlyCollection<string> Types => Readers.Keys;

    /// <summary>Parses the data of a token event of wire type <paramref name="type"/>.</summary>
    public static bool TryParse(string type, JsonElement data, [NotNullWhen(true)] out IAccessEvent? @event, out IReadOnlyList<string> errors) =>
        DataCodec.TryParse(Readers, "a token event type", type, data, out @event, out errors);

    /// <summary>Writes the data object.</summary>
    /// <exception cref="ArgumentException">The event holds values its wire format does not allow.</exception>
    public static JsonElement ToData(IAccessEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var data = JsonData.Build(w =>
        {
            w.WriteStartObject();
            switch (@event)
            {
                case TokenMinted m:
                    w.WriteString("tokenId", m.TokenId);
                    w.WriteString("subject", m.Subject);
                    w.WriteString("role", m.Role);
                    w.WriteString("secretHash", m.SecretHash);
                    if (m.ExpiresAt is { } expires)
                    {
                        w.WriteString("expiresAt", Rfc3339.Format(expires));
                    }
                    else
                    {
                        w.WriteNull("expiresAt");
                    }

                    break;
                case TokenRevoked r:
                    w.WriteString("tokenId", r.TokenId);
                    w.WriteString("reason", r.Reason);
                    break;
                default:
                    throw new UnreachableException($"No writer for {@event.GetType().FullName}.");
            }

            w.WriteEndObject();
        });
        var type = WireNames.Of(@event.GetType());
        if (!TryParse(type, data, out _, out var errors))
        {
            throw new ArgumentException($"The {type} event is not valid: {string.Join("; ", errors)}", nameof(@event));
        }

        return data;
    }

    private static string? TokenIdRule(string value) => TokenIdPattern().IsMatch(value) ? null : "must be 16 lowercase hex digits";

    private static string? RoleRule(string value) =>
        value is TokenEntry.EmitterRole or TokenEntry.AdminRole or TokenEntry.ViewerRole ? null : "must be 'emitter', 'admin' or 'viewer'";

    private static TokenMinted? ReadMinted(DataReader r)
    {
        var id = r.String("tokenId", TokenIdRule);
        var subject = r.String("subject");
        var role = r.String("role", RoleRule);
        var hash = r.String("secretHash", DataFormats.Sha256Digest);
        var expiresText = r.NullableString("expiresAt");
        DateTimeOffset? expires = null;
        if (expiresText is not null)
        {
            if (!Rfc3339.TryParse(expiresText, out var parsed))
            {
                r.Error("expiresAt", $"must be an RFC 3339 timestamp or null, found '{expiresText}'");
                return null;
            }

            expires = parsed;
        }

        return id is null || subject is null || role is null || hash is null ? null : new TokenMinted(id, subject, role, hash, expires);
    }

    private static TokenRevoked? ReadRevoked(DataReader r)
    {
        var id = r.String("tokenId", TokenIdRule);
        var reason = r.String("reason");
        return id is null || reason is null ? null : new TokenRevoked(id, reason);
    }

    [GeneratedRegex("^[0-9a-f]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex TokenIdPattern();
}
