using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Ledger.Domain.Events;

namespace Ledger.Domain.Publications;

/// <summary>Reads and writes the data of <c>governance.policy-published.v1</c> and <c>governance.homes-configured.v1</c>.</summary>
/// <remarks>
/// Strict as the other codecs: required members, kinds, formats, no unknown members. Stateless and thread-safe.
/// </remarks>
public static class GovernanceEventCodec
{
    private static readonly Dictionary<string, Func<DataReader, IGovernanceEvent?>> Readers = new(StringComparer.Ordinal)
    {
        [WireNames.Of<PolicyPublished>()] = ReadPublished,
        [WireNames.Of<HomesConfigured>()] = ReadHomes,
    };

    /// <summary>The wire names of the governance events.</summary>
    public static IReadOnlyCollection<string> Types => Readers.Keys;

    /// <summary>Parses the data of a governance event of wire type <paramref name="type"/>.</summary>
    /// <param name="type">The entry's type.</param>
    /// <param name="data">The data object.</param>
    /// <param name="event">The event when valid.</param>
    /// <param name="errors">Every problem found, as <c>path: message</c>.</param>
    public static bool TryParse(string type, JsonElement data, [NotNullWhen(true)] out IGovernanceEvent? @event, out IReadOnlyList<string> errors) =>
        DataCodec.TryParse(Readers, "a governance event type", type, data, out @event, out errors);

    /// <summary>Writes the data object.</summary>
    /// <exception cref="ArgumentException">The event holds values its wire format does not allow.</exception>
    public static JsonElement ToData(IGovernanceEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var data = JsonData.Build(w =>
        {
            w.WriteStartObject();
            switch (@event)
            {
                case PolicyPublished e:
                    w.WriteString("domain", e.Domain);
                    w.WriteString("policyId", e.PolicyId);
                    w.WriteString("policyDigest", e.PolicyDigest);
                    break;
                case HomesConfigured e:
                    JsonData.WriteStrings(w, "homeDomains", e.HomeDomains);
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

    private static PolicyPublished? ReadPublished(DataReader r)
    {
        var domain = r.String("domain", DataFormats.Domain);
        var policyId = r.String("policyId");
        var digest = r.String("policyDigest", DataFormats.Sha256Digest);
        return domain is null || policyId is null || digest is null ? null : new PolicyPublished(domain, policyId, digest);
    }

    private static HomesConfigured? ReadHomes(DataReader r)
    {
        var domains = r.StringArray("homeDomains", nonEmpty: false, unique: true, DataFormats.Domain);
        return domains is null ? null : new HomesConfigured(domains);
    }
}
