using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;

namespace Ledger.Domain.Emitters;

/// <summary>Reads and writes the data of <c>emitter.registered.v1</c> and <c>emitter.revoked.v1</c>.</summary>
/// <remarks>
/// Strict as <see cref="ExecutionEventCodec"/>: required members, kinds, formats, no unknown members.
/// Public keys are checked lexically (prefix, canonical base64, length: 32 bytes for Ed25519, a DER
/// SEQUENCE for an ECDSA SubjectPublicKeyInfo); the key itself is parsed by the crypto layer.
/// Stateless and thread-safe.
/// </remarks>
public static class EmitterEventCodec
{
    private static readonly Dictionary<string, Func<DataReader, IEmitterEvent?>> Readers = new(StringComparer.Ordinal)
    {
        [WireNames.Of<EmitterRegistered>()] = ReadRegistered,
        [WireNames.Of<EmitterRevoked>()] = ReadRevoked,
    };

    /// <summary>The wire names of the emitter events.</summary>
    public static IReadOnlyCollection<string> Types => Readers.Keys;

    /// <summary>Parses the data of an emitter event of wire type <paramref name="type"/>.</summary>
    /// <param name="type">The entry's type.</param>
    /// <param name="data">The data object.</param>
    /// <param name="event">The event when valid.</param>
    /// <param name="errors">Every problem found, as <c>path: message</c>.</param>
    public static bool TryParse(string type, JsonElement data, [NotNullWhen(true)] out IEmitterEvent? @event, out IReadOnlyList<string> errors) =>
        DataCodec.TryParse(Readers, "an emitter event type", type, data, out @event, out errors);

    /// <summary>Writes the data object.</summary>
    /// <exception cref="ArgumentException">The event holds values its wire format does not allow.</exception>
    public static JsonElement ToData(IEmitterEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var data = JsonData.Build(w =>
        {
            w.WriteStartObject();
            switch (@event)
            {
                case EmitterRegistered e:
                    w.WriteString("name", e.Name);
                    JsonData.WriteStrings(w, "domains", e.Domains);
                    w.WriteString("publicKey", e.PublicKey);
                    w.WriteBoolean("signaturesRequired", e.SignaturesRequired);
                    break;
                case EmitterRevoked e:
                    w.WriteString("name", e.Name);
                    w.WriteString("reason", e.Reason);
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

    private static string? NameRule(string value) =>
        ExecutionId.IsValid(value) ? null : "must be 1 to 128 characters of [A-Za-z0-9._:-]";

    private static EmitterRegistered? ReadRegistered(DataReader r)
    {
        var name = r.String("name", NameRule);
        var domains = r.StringArray("domains", nonEmpty: true, unique: true, DataFormats.DomainOrWildcard);
        var key = r.NullableString("publicKey", PublicKeyRule);
        var required = r.Boolean("signaturesRequired");
        if (domains is not null && domains.Count > 1 && domains.Contains(EmitterRegistry.AllDomains))
        {
            r.Error("domains", "'*' stands for every domain and must be the only entry");
            return null;
        }

        if (required == true && key is null && !r.HasErrors)
        {
            r.Error("signaturesRequired", "signatures cannot be required of an emitter without a public key");
            return null;
        }

        return name is null || domains is null || required is null ? null : new EmitterRegistered(name, domains, key, required.Value);
    }

    private static EmitterRevoked? ReadRevoked(DataReader r)
    {
        var name = r.String("name", NameRule);
        var reason = r.String("reason");
        return name is null || reason is null ? null : new EmitterRevoked(name, reason);
    }

    private static string? PublicKeyRule(string value)
    {
        const string Message = "must be 'ecdsa-p256:' followed by the base64 SubjectPublicKeyInfo DER, or 'ed25519:' followed by the base64 of 32 bytes";
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return Message;
        }

        var scheme = value[..colon];
        var encoded = value[(colon + 1)..];
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length)
            || !string.Equals(Convert.ToBase64String(buffer, 0, length), encoded, StringComparison.Ordinal))
        {
            return Message;
        }

        return scheme switch
        {
            "ed25519" when length == 32 => null,
            "ecdsa-p256" when length > 2 && buffer[0] == 0x30 => null,
            _ => Message,
        };
    }
}
