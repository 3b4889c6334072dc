using System.Diagnostics.CodeAnalysis;

namespace Ledger.Domain.Executions;

/// <summary>
/// Why an execution was denied or halted: a closed set with stable codes (the <c>reason</c>
/// member of <c>execution.denied.v1</c> and <c>execution.halted.v1</c>).
/// </summary>
/// <remarks>
/// The set is extended only by adding; a code never changes meaning. Instances are the static
/// properties below; equality is by code. Immutable and thread-safe.
/// </remarks>
public sealed record Reason
{
    private Reason(string code, string description)
    {
        Code = code;
        Description = description;
    }

    /// <summary>The stable code written on the wire.</summary>
    public string Code { get; }

    /// <summary>A one-line explanation for people.</summary>
    public string Description { get; }

    /// <summary>An event arrived out of phase order, or after the phase it belongs to.</summary>
    public static Reason PhaseOrderViolated { get; } = new("phase-order-violated", "an event arrived out of phase order");

    /// <summary>A target domain is not synced, or synced another policy digest (or a sync time in the future).</summary>
    public static Reason GovernanceInconsistent { get; } = new("governance-inconsistent", "target domains do not share the synced policy");

    /// <summary>A target domain's policy sync is older than <c>maxPolicyAge</c>.</summary>
    public static Reason GovernanceStale { get; } = new("governance-stale", "a policy sync is older than maxPolicyAge");

    /// <summary>The authorization grants more than was requested, than the parent holds, or for longer than allowed.</summary>
    public static Reason AuthorizationScopeExceeded { get; } = new("authorization-scope-exceeded", "the authorization exceeds what may be granted");

    /// <summary>The issuer is not a target domain, or the authorization was submitted for another domain than its issuer.</summary>
    public static Reason AuthorizationIssuerUntrusted { get; } = new("authorization-issuer-untrusted", "the authorization's issuer is not trusted for this execution");

    /// <summary>The authorization is not in force at the time (after <c>expiresAt</c>, or before <c>notBefore</c>).</summary>
    public static Reason AuthorizationExpired { get; } = new("authorization-expired", "the authorization is not in force");

    /// <summary>The attested workload is not the actor, or the attestation verdict is not trusted.</summary>
    public static Reason RuntimeTrustFailed { get; } = new("runtime-trust-failed", "runtime trust could not be established");

    /// <summary>A runtime verification reported a failed verdict.</summary>
    public static Reason RuntimeVerificationFailed { get; } = new("runtime-verification-failed", "a runtime verification failed");

    /// <summary>No verification within <c>maxVerificationInterval</c>, or completion without any verification.</summary>
    public static Reason RuntimeVerificationMissed { get; } = new("runtime-verification-missed", "a runtime verification is overdue");

    /// <summary>The verified measurement differs from the one trust was established with.</summary>
    public static Reason MeasurementDrift { get; } = new("measurement-drift", "the runtime measurement changed");

    /// <summary>A same-ledger parent is missing or not running when the child declares intent or starts.</summary>
    public static Reason LineageBroken { get; } = new("lineage-broken", "the parent execution is missing or not running");

    /// <summary>An ancestor was denied or halted; the ledger ends every non-terminal descendant.</summary>
    public static Reason ParentHalted { get; } = new("parent-halted", "an ancestor execution was denied or halted");

    /// <summary>The intent was not started within <c>intentTtl</c>.</summary>
    public static Reason IntentExpired { get; } = new("intent-expired", "the intent was not started in time");

    /// <summary>An emitter reported the denial or halt itself.</summary>
    public static Reason EmitterReported { get; } = new("emitter-reported", "an emitter reported the end of the execution");

    /// <summary>A peer's proof of a remote parent could not be obtained or verified within <c>maxPeerSilence</c> (DESIGN §8.2).</summary>
    public static Reason FederationSyncLost { get; } = new("federation-sync-lost", "a remote parent's attestation could not be obtained or verified in time");

    /// <summary>A peer showed two inconsistent checkpoints; nothing that depends on it may proceed (DESIGN §8.1).</summary>
    public static Reason PeerSplitView { get; } = new("peer-split-view", "the parent's ledger showed two inconsistent checkpoints");

    /// <summary>Every reason, in the order of the design's list.</summary>
    public static IReadOnlyList<Reason> All { get; } =
    [
        PhaseOrderViolated, GovernanceInconsistent, GovernanceStale, AuthorizationScopeExceeded,
        AuthorizationIssuerUntrusted, AuthorizationExpired, RuntimeTrustFailed, RuntimeVerificationFailed,
        RuntimeVerificationMissed, MeasurementDrift, LineageBroken, ParentHalted, IntentExpired, EmitterReported,
        FederationSyncLost, PeerSplitView,
    ];

    /// <summary>Finds the reason with the given code.</summary>
    public static bool TryParse([NotNullWhen(true)] string? code, [NotNullWhen(true)] out Reason? reason)
    {
        reason = All.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.Ordinal));
        return reason is not null;
    }

    /// <summary>Finds the reason with the given code.</summary>
    /// <exception cref="FormatException">The code is not in the closed set.</exception>
    public static Reason Parse(string code) =>
        TryParse(code, out var reason) ? reason : throw new FormatException($"'{code}' is not a known reason code.");

    /// <inheritdoc/>
    public bool Equals(Reason? other) => other is not null && string.Equals(Code, other.Code, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Code);

    /// <summary>The code.</summary>
    public override string ToString() => Code;
}
