using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ledger.Domain.Parameters;

/// <summary>
/// The tunable limits of the lifecycle rules, recorded as <see cref="PolicyConfigured"/> events in
/// the <c>$ledger</c> stream so that a replay uses the values in force at each position.
/// </summary>
/// <remarks>
/// Invariant: every duration is positive. A new configuration also keeps each at most
/// <see cref="MaxSetting"/> (<see cref="TryParseSetting"/>, <see cref="LedgerParametersCodec.ToData"/>),
/// so that no deadline computed from it can leave the calendar; a larger value can only come from a
/// log written before that bound, and the deadlines computed from it saturate at
/// <see cref="DateTimeOffset.MaxValue"/>. Immutable and thread-safe. Until the first
/// <c>ledger.policy-configured.v1</c>, <see cref="Default"/> is in force.
/// </remarks>
public sealed record LedgerParameters
{
    /// <summary>The stream holding the parameter events.</summary>
    public const string StreamName = "$ledger";

    /// <summary>Creates parameters.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A duration is zero or negative.</exception>
    public LedgerParameters(TimeSpan maxPolicyAge, TimeSpan maxAuthorizationTtl, TimeSpan maxVerificationInterval, TimeSpan intentTtl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxPolicyAge, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxAuthorizationTtl, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxVerificationInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(intentTtl, TimeSpan.Zero);
        MaxPolicyAge = maxPolicyAge;
        MaxAuthorizationTtl = maxAuthorizationTtl;
        MaxVerificationInterval = maxVerificationInterval;
        IntentTtl = intentTtl;
    }

    /// <summary>How old a domain's policy sync may be (at governance sync and at start). Default 24 hours.</summary>
    public TimeSpan MaxPolicyAge { get; }

    /// <summary>The longest authorization window, <c>expiresAt − notBefore</c>. Default 24 hours.</summary>
    public TimeSpan MaxAuthorizationTtl { get; }

    /// <summary>The longest silence between start or a verification and the next verification. Default 5 minutes.</summary>
    public TimeSpan MaxVerificationInterval { get; }

    /// <summary>How long a declared intent may wait to start. Default 1 hour.</summary>
    public TimeSpan IntentTtl { get; }

    /// <summary>
    /// How old the latest verified attestation of a remote parent may be (DESIGN §8.2): past it, the parent's children
    /// on this ledger end with <c>federation-sync-lost</c>, and no decision allows them. Default 5 minutes
    /// (<see cref="DefaultMaxPeerSilence"/>), also the value when a configuration event does not state it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to zero or a negative duration.</exception>
    public TimeSpan MaxPeerSilence
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = DefaultMaxPeerSilence;

    /// <summary>The <see cref="MaxPeerSilence"/> in force when no configuration states one: 5 minutes.</summary>
    public static TimeSpan DefaultMaxPeerSilence { get; } = TimeSpan.FromMinutes(5);

    /// <summary>The values in force before any <c>ledger.policy-configured.v1</c>: 24h, 24h, 5min, 1h.</summary>
    public static LedgerParameters Default { get; } = new(TimeSpan.FromHours(24), TimeSpan.FromHours(24), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));

    /// <summary>The largest value a new configuration may give any of the four parameters: 366 days, <c>P366D</c>.</summary>
    public static TimeSpan MaxSetting { get; } = TimeSpan.FromDays(366);

    /// <summary>The smallest: one microsecond, <c>PT0.000001S</c> (the resolution of durations on the wire).</summary>
    public static TimeSpan MinSetting { get; } = TimeSpan.FromTicks(10);

    /// <summary>
    /// Reads the value proposed for one parameter of a new configuration: a duration of the ledger's
    /// grammar (<see cref="IsoDuration"/>) between <see cref="MinSetting"/> and <see cref="MaxSetting"/>.
    /// </summary>
    /// <param name="name">The parameter's wire name, e.g. <c>intentTtl</c>, used in the message.</param>
    /// <param name="text">The proposed value; null when it is missing.</param>
    /// <param name="value">The value when valid.</param>
    /// <param name="error">When invalid, a message naming the parameter, the value found and the valid range.</param>
    public static bool TryParseSetting(string name, string? text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (text is null)
        {
            value = default;
            error = $"{name} is required: a duration such as PT5M";
            return false;
        }

        if (!IsoDuration.TryParse(text, out value))
        {
            error = $"{name} must be a positive ISO 8601 duration in days, hours, minutes and seconds (P[nD][T[nH][nM][n[.f]S]], e.g. PT5M or P1D; no years, months or weeks), found '{Printable(text)}'";
            return false;
        }

        error = CheckSetting(name, value, $"'{Printable(text)}'");
        return error is null;
    }

    /// <summary>Null when <paramref name="value"/> may be set for parameter <paramref name="name"/>; else a message naming both and the range.</summary>
    public static string? CheckSetting(string name, TimeSpan value) =>
        CheckSetting(name, value, value >= MinSetting ? IsoDuration.Format(value) : value.ToString("c", CultureInfo.InvariantCulture));

    private static string? CheckSetting(string name, TimeSpan value, string found) =>
        value >= MinSetting && value <= MaxSetting
            ? null
            : $"{name} must be between {IsoDuration.Format(MinSetting)} and P366D ({IsoDuration.Format(MaxSetting)}), found {found}";

    // Echoed text stays short and on one line.
    private static string Printable(string text)
    {
        var shown = text.Length > 64 ? text[..64] + "…" : text;
        return string.Concat(shown.Select(c => char.IsControl(c) ? '?' : c));
    }

    /// <summary>Applies a configuration event: the new values replace the old ones entirely.</summary>
    public static LedgerParameters Evolve(LedgerParameters current, PolicyConfigured @event)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(@event);
        return @event.ToParameters();
    }

    /// <summary>A readable summary, e.g. for logs.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"maxPolicyAge={IsoDuration.Format(MaxPolicyAge)} maxAuthorizationTtl={IsoDuration.Format(MaxAuthorizationTtl)} maxVerificationInterval={IsoDuration.Format(MaxVerificationInterval)} intentTtl={IsoDuration.Format(IntentTtl)} maxPeerSilence={IsoDuration.Format(MaxPeerSilence)}");
}
