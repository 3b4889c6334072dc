using Ledger.Domain.Events;

namespace Ledger.Domain.Publications;

// The events of the "$governance" stream (DESIGN §8.2, docs/FORMAT.md §6.3).

/// <summary>An event in the <c>$governance</c> stream.</summary>
/// <remarks>Implementations are immutable sealed records carrying a <see cref="WireNameAttribute"/>.</remarks>
public interface IGovernanceEvent;

/// <summary>
/// The current policy of a domain this ledger is home for, as its home ledger publishes it: a
/// <c>governance-synchronized</c> claim for the domain is checked against the latest one (DESIGN §8.2).
/// Appended by an emitter that may speak for the domain, or by the ledger on an administrator's request.
/// </summary>
/// <param name="Domain">The domain; the entry's domain is the same.</param>
/// <param name="PolicyId">The policy's name or version, for people.</param>
/// <param name="PolicyDigest">The policy's digest, <c>sha256:&lt;64 lowercase hex&gt;</c>.</param>
[WireName("governance.policy-published.v1")]
public sealed record PolicyPublished(string Domain, string PolicyId, string PolicyDigest) : IGovernanceEvent;

/// <summary>
/// Ledger-authored: the domains this ledger is home for from this position on (its <c>Ledger:HomeDomains</c> setting),
/// appended at start when the setting differs from the last one recorded, so that a replay knows, at each position,
/// which domains' claims are checked against this ledger's publications.
/// </summary>
/// <param name="HomeDomains">The home domains (distinct; may be empty when the setting was removed).</param>
[WireName("governance.homes-configured.v1")]
public sealed record HomesConfigured(IReadOnlyList<string> HomeDomains) : IGovernanceEvent;
