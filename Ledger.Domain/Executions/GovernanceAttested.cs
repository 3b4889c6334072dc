using Ledger.Domain.Events;
using Ledger.Domain.Publications;

namespace Ledger.Domain.Executions;

/// <summary>
/// Ledger-authored (DESIGN §8.2, docs/FORMAT.md §10.9): what a verified governance attestation of a peer proved for the
/// synced domains whose home is that peer, appended to the execution's stream just before the
/// <c>governance-synchronized</c> claim it decides, so that a replay decides the claim as the ledger did and an auditor can
/// re-check the attestation.
/// </summary>
/// <param name="Ledger">The peer's origin: the home ledger of <paramref name="Domains"/> by this ledger's configuration.</param>
/// <param name="AttestationDigest">The attestation's digest, <c>sha256:&lt;hex&gt;</c>.</param>
/// <param name="Checkpoint">The attestation's signed checkpoint note, with its cosignatures.</param>
/// <param name="CheckpointSize">That checkpoint's size.</param>
/// <param name="StreamVersion">The peer's <c>$governance</c> version the attestation states.</param>
/// <param name="HomeDomains">The domains the peer's log says it is home for (its last <c>governance.homes-configured.v1</c>).</param>
/// <param name="Domains">The claim's synced domains checked against this peer (distinct, non-empty).</param>
/// <param name="Publications">For each of <paramref name="Domains"/> the peer published a policy for, its latest publication
/// (the peer's position and <c>recordedAt</c>); a domain without one is absent.</param>
/// <param name="AttestedAt">The attestation statement's time.</param>
[WireName("federation.governance-attested.v1")]
public sealed record GovernanceAttested(
    string Ledger,
    string AttestationDigest,
    string Checkpoint,
    long CheckpointSize,
    long StreamVersion,
    IReadOnlyList<string> HomeDomains,
    IReadOnlyList<string> Domains,
    IReadOnlyList<Publication> Publications,
    DateTimeOffset AttestedAt) : IExecutionEvent
{
    /// <summary>
    /// The record of a verified attestation of <paramref name="ledger"/>'s governance for <paramref name="domains"/>: the
    /// one place the ledger (appending it) and the verifier (comparing it with the attestation it names) derive it.
    /// </summary>
    public static GovernanceAttested Of(string ledger, Federation.AttestedGovernance attested, IReadOnlyList<string> domains)
    {
        ArgumentNullException.ThrowIfNull(attested);
        ArgumentNullException.ThrowIfNull(domains);
        var distinct = domains.Distinct(StringComparer.Ordinal).ToList();
        return new GovernanceAttested(
            ledger, attested.Digest, attested.CheckpointNote, attested.Statement.Size, attested.Statement.Version,
            [.. attested.Book.HomeDomains.Order(StringComparer.Ordinal)], distinct,
            [.. distinct.Select(attested.Book.Latest).OfType<Publication>()], attested.Statement.Time);
    }
}
