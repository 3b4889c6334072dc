using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Ledger.Domain.Events;

namespace Ledger.Domain.Parameters;

/// <summary>Reads and writes the data of <c>ledger.policy-configured.v1</c>.</summary>
/// <remarks>
/// Data: <c>{"maxPolicyAge", "maxAuthorizationTtl", "maxVerificationInterval", "intentTtl"}</c>, each a
/// positive ISO 8601 duration in days, hours, minutes and seconds (<c>P1D</c>, <c>PT24H</c>,
/// <c>PT5M</c>, <c>PT0.5S</c>; no years, months or weeks; at most six fractional digits), all
/// required, and the optional <c>maxPeerSilence</c> (absent: <see cref="LedgerParameters.DefaultMaxPeerSilence"/>), nothing else allowed. Written normalized in hours, minutes and seconds, each at most
/// <see cref="LedgerParameters.MaxSetting"/>; read without that bound, so that a log written before it
/// still replays. Stateless and thread-safe.
/// </remarks>
public static class LedgerParametersCodec
{
    // Optional (DESIGN §8.2): a log written before federation has events without it.
    private const string PeerSilence = "maxPeerSilence";

    /// <summary>The wire name, <c>ledger.policy-configured.v1</c>.</summary>
    public static string Type { get; } = WireNames.Of<PolicyConfigured>();

    /// <summary>Parses the data of a <c>ledger.policy-configured.v1</c> event.</summary>
    /// <param name="type">The entry's type; anything but <see cref="Type"/> is an error.</param>
    /// <param name="data">The data object.</param>
    /// <param name="event">The event when valid.</param>
    /// <param name="errors">Every problem found, as <c>path: message</c>.</param>
    public static bool TryParse(string type, JsonElement data, [NotNullWhen(true)] out PolicyConfigured? @event, out IReadOnlyList<string> errors)
    {
        var found = new List<string>();
        errors = found;
        @event = null;
        if (!string.Equals(type, Type, StringComparison.Ordinal))
        {
            found.Add($"type: '{type}' is not {Type}");
            return false;
        }

        var reader = DataReader.Open(data, string.Empty, found);
        if (reader is null)
        {
            return false;
        }

        var policyAge = Duration(reader, "maxPolicyAge");
        var authorizationTtl = Duration(reader, "maxAuthorizationTtl");
        var verificationInterval = Duration(reader, "maxVerificationInterval");
        var intentTtl = Duration(reader, "intentTtl");
        var peerSilence = reader.Has(PeerSilence) ? Duration(reader, PeerSilence) : null;
        reader.Finish();
        if (found.Count > 0 || policyAge is null || authorizationTtl is null || verificationInterval is null || intentTtl is null)
        {
            return false;
        }

        if (reader.Has(PeerSilence) && peerSilence is null)
        {
            return false;
        }

        @event = new PolicyConfigured(policyAge.Value, authorizationTtl.Value, verificationInterval.Value, intentTtl.Value) { MaxPeerSilence = peerSilence };
        return true;
    }

    /// <summary>Writes the data object.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A duration is outside [<see cref="LedgerParameters.MinSetting"/>, <see cref="LedgerParameters.MaxSetting"/>].</exception>
    public static JsonElement ToData(PolicyConfigured @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        foreach (var (name, value) in new[]
                 {
                     ("maxPolicyAge", @event.MaxPolicyAge), ("maxAuthorizationTtl", @event.MaxAuthorizationTtl),
                     ("maxVerificationInterval", @event.MaxVerificationInterval), ("intentTtl", @event.IntentTtl),
                     (PeerSilence, @event.MaxPeerSilence ?? LedgerParameters.DefaultMaxPeerSilence),
                 })
        {
            if (LedgerParameters.CheckSetting(name, value) is { } error)
            {
                throw new ArgumentOutOfRangeException(nameof(@event), value, error);
            }
        }

        return JsonData.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("maxPolicyAge", IsoDuration.Format(@event.MaxPolicyAge));
            w.WriteString("maxAuthorizationTtl", IsoDuration.Format(@event.MaxAuthorizationTtl));
            w.WriteString("maxVerificationInterval", IsoDuration.Format(@event.MaxVerificationInterval));
            w.WriteString("intentTtl", IsoDuration.Format(@event.IntentTtl));
            if (@event.MaxPeerSilence is { } peerSilence)
            {
                w.WriteString(PeerSilence, IsoDuration.Format(peerSilence));
            }

            w.WriteEndObject();
        });
    }

    private static TimeSpan? Duration(DataReader reader, string name)
    {
        var text = reader.String(name);
        if (text is null)
        {
            return null;
        }

        if (IsoDuration.TryParse(text, out var value))
        {
            return value;
        }

        reader.Error(name, $"must be a positive ISO 8601 duration in days, hours, minutes and seconds such as PT5M or P1D, found '{text}'");
        return null;
    }
}
