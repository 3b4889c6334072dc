using Ledger.Domain.Events;

namespace Ledger.Domain.Parameters;

/// <summary>The ledger's parameters were (re)configured; appended to <c>$ledger</c>.</summary>
/// <param name="MaxPolicyAge">See <see cref="LedgerParameters.MaxPolicyAge"/>.</param>
/// <param name="MaxAuthorizationTtl">See <see cref="LedgerParameters.MaxAuthorizationTtl"/>.</param>
/// <param name="MaxVerificationInterval">See <see cref="LedgerParameters.MaxVerificationInterval"/>.</param>
/// <param name="IntentTtl">See <see cref="LedgerParameters.IntentTtl"/>.</param>
/// <remarks>
/// <see cref="MaxPeerSilence"/> is optional on the wire: absent (null), the default
/// (<see cref="LedgerParameters.DefaultMaxPeerSilence"/>) is in force. On the wire each duration is an ISO 8601 duration such as <c>PT5M</c> (see <see cref="LedgerParametersCodec"/>). Immutable.</remarks>
[WireName("ledger.policy-configured.v1")]
public sealed record PolicyConfigured(TimeSpan MaxPolicyAge, TimeSpan MaxAuthorizationTtl, TimeSpan MaxVerificationInterval, TimeSpan IntentTtl)
{
    /// <summary>See <see cref="LedgerParameters.MaxPeerSilence"/>; null: not stated, the default is in force.</summary>
    public TimeSpan? MaxPeerSilence { get; init; }

    /// <summary>The event that configures <paramref name="parameters"/>.</summary>
    public static PolicyConfigured From(LedgerParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new(parameters.MaxPolicyAge, parameters.MaxAuthorizationTtl, parameters.MaxVerificationInterval, parameters.IntentTtl)
        {
            MaxPeerSilence = parameters.MaxPeerSilence == LedgerParameters.DefaultMaxPeerSilence ? null : parameters.MaxPeerSilence,
        };
    }

    /// <summary>The parameters this event puts in force.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A duration is zero or negative.</exception>
    public LedgerParameters ToParameters() =>
        new(MaxPolicyAge, MaxAuthorizationTtl, MaxVerificationInterval, IntentTtl) { MaxPeerSilence = MaxPeerSilence ?? LedgerParameters.DefaultMaxPeerSilence };
}
