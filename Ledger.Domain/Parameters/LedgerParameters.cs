using System.Globalization;

namespace Ledger.Domain.Parameters;

/// <summary>
/// The tunable limits of the lifecycle rules, recorded as <see cref="PolicyConfigured"/> events in
/// the <c>$ledger</c> stream so that a replay uses the values in force at each position.
/// </summary>
/// <remarks>
/// Invariant: every duration is positive. Immutable and thread-safe. Until the first
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

    /// <summary>The values in force before any <c>ledger.policy-configured.v1</c>: 24h, 24h, 5min, 1h.</summary>
    public static LedgerParameters Default { get; } = new(TimeSpan.FromHours(24), TimeSpan.FromHours(24), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));

    /// <summary>Applies a configuration event: the new values replace the old ones entirely.</summary>
    public static LedgerParameters Evolve(LedgerParameters current, PolicyConfigured @event)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(@event);
        return @event.ToParameters();
    }

    /// <summary>A readable summary, e.g. for logs.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"maxPolicyAge={IsoDuration.Format(MaxPolicyAge)} maxAuthorizationTtl={IsoDuration.Format(MaxAuthorizationTtl)} maxVerificationInterval={IsoDuration.Format(MaxVerificationInterval)} intentTtl={IsoDuration.Format(IntentTtl)}");
}
