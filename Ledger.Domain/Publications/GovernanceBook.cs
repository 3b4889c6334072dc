using System.Globalization;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;

namespace Ledger.Domain.Publications;

/// <summary>
/// The <c>$governance</c> stream folded up to a position (DESIGN §8.2, docs/FORMAT.md §6.3): the domains this ledger is
/// home for and the latest policy published for each. The one place the rule "a claim for a home domain matches the
/// latest publication, which is not older than <c>maxPolicyAge</c>" is written, read by the ledger (folded from the
/// stream read under a guard on its version, so as committed at the append) and by the offline replay.
/// </summary>
/// <remarks>Immutable and thread-safe; <see cref="Evolve"/> returns a new book.</remarks>
public sealed record GovernanceBook
{
    private readonly IReadOnlySet<string> _homes;
    private readonly IReadOnlyDictionary<string, Publication> _latest;

    private GovernanceBook(IReadOnlySet<string> homes, IReadOnlyDictionary<string, Publication> latest)
    {
        _homes = homes;
        _latest = latest;
    }

    /// <summary>The stream's name.</summary>
    public const string StreamName = "$governance";

    /// <summary>No home domain, no publication: claims are checked as before (the synced domains among themselves).</summary>
    public static GovernanceBook Empty { get; } = new(new HashSet<string>(StringComparer.Ordinal), new Dictionary<string, Publication>(StringComparer.Ordinal));

    /// <summary>The domains this ledger is home for, as last recorded.</summary>
    public IReadOnlyCollection<string> HomeDomains => _homes;

    /// <summary>Whether this ledger is home for <paramref name="domain"/>.</summary>
    public bool IsHome(string domain) => _homes.Contains(domain);

    /// <summary>The latest publication for <paramref name="domain"/>, or null.</summary>
    public Publication? Latest(string domain) => _latest.TryGetValue(domain, out var p) ? p : null;

    /// <summary>The book after one <c>$governance</c> event at <paramref name="position"/>, recorded at <paramref name="recordedAt"/>.</summary>
    public static GovernanceBook Evolve(GovernanceBook book, IGovernanceEvent @event, long position, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(@event);
        switch (@event)
        {
            case HomesConfigured homes:
                return new GovernanceBook(new HashSet<string>(homes.HomeDomains, StringComparer.Ordinal), book._latest);
            case PolicyPublished published:
                var latest = new Dictionary<string, Publication>(book._latest, StringComparer.Ordinal)
                {
                    [published.Domain] = new Publication(published.Domain, published.PolicyId, published.PolicyDigest, position, recordedAt),
                };
                return new GovernanceBook(book._homes, latest);
            default:
                throw new System.Diagnostics.UnreachableException($"Evolve has no case for {@event.GetType().FullName}.");
        }
    }

    /// <summary>
    /// Why a publication may not be appended now, or null: its entry must speak for the domain it publishes, and only
    /// for a domain this ledger is home for.
    /// </summary>
    /// <param name="published">The publication.</param>
    /// <param name="entryDomain">The domain of the entry that carries it.</param>
    public string? PublicationProblem(PolicyPublished published, string entryDomain)
    {
        ArgumentNullException.ThrowIfNull(published);
        if (!string.Equals(published.Domain, entryDomain, StringComparison.Ordinal))
        {
            return $"the publication is for domain '{published.Domain}' but its entry speaks for domain '{entryDomain}'";
        }

        return IsHome(published.Domain)
            ? null
            : _homes.Count == 0
                ? $"this ledger is home for no domain, so it publishes no policy for '{published.Domain}'"
                : $"this ledger is not home for domain '{published.Domain}' (it is home for {string.Join(", ", _homes.Order(StringComparer.Ordinal))})";
    }

    /// <summary>
    /// Checks a <c>governance-synchronized</c> claim recorded at <paramref name="recordedAt"/> against this book: every
    /// synced domain this ledger is home for must have a publication (otherwise <c>governance-stale</c>), with the
    /// claimed digest (otherwise <c>governance-inconsistent</c>), published no longer than <paramref name="maxPolicyAge"/>
    /// before the claim (otherwise <c>governance-stale</c>). Synced domains in their order; the first broken one decides.
    /// Null when the claim holds; a domain this ledger is not home for is not checked here.
    /// </summary>
    public (Reason Reason, string Detail)? CheckClaim(GovernanceSynchronized sync, DateTimeOffset recordedAt, TimeSpan maxPolicyAge)
    {
        ArgumentNullException.ThrowIfNull(sync);
        foreach (var synced in sync.SyncedDomains)
        {
            if (IsHome(synced.Domain) && CheckPublication(synced, Latest(synced.Domain), "its home ledger (this one)", recordedAt, maxPolicyAge) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>
    /// Checks a <c>governance-synchronized</c> claim recorded at <paramref name="recordedAt"/> against what the governance
    /// attestations of peers recorded before it (<paramref name="attested"/>, docs/FORMAT.md §10.9) prove, with the rule of
    /// <see cref="CheckClaim"/>: each synced domain one of them covers must be among the peer's home domains by the peer's
    /// own log (otherwise <c>governance-stale</c>), and its latest publication there must exist, have the claimed digest
    /// and be no older than <paramref name="maxPolicyAge"/>. An attestation covering a domain the claim does not sync
    /// does not match the claim (<c>governance-inconsistent</c>). Synced domains in their order; the first broken one
    /// decides; null when the claim holds.
    /// </summary>
    public static (Reason Reason, string Detail)? CheckAttestedClaim(
        GovernanceSynchronized sync, IReadOnlyList<GovernanceAttested> attested, DateTimeOffset recordedAt, TimeSpan maxPolicyAge)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(attested);
        foreach (var evidence in attested)
        {
            if (evidence.Domains.FirstOrDefault(d => !sync.SyncedDomains.Any(s => string.Equals(s.Domain, d, StringComparison.Ordinal))) is { } foreign)
            {
                return (Reason.GovernanceInconsistent,
                    $"the governance attestation of '{evidence.Ledger}' recorded before the claim covers domain '{foreign}', which the claim does not sync");
            }
        }

        foreach (var synced in sync.SyncedDomains)
        {
            if (attested.LastOrDefault(e => e.Domains.Contains(synced.Domain, StringComparer.Ordinal)) is not { } evidence)
            {
                continue;
            }

            var home = $"its home ledger '{evidence.Ledger}'";
            if (!evidence.HomeDomains.Contains(synced.Domain, StringComparer.Ordinal))
            {
                return (Reason.GovernanceStale, string.Create(CultureInfo.InvariantCulture,
                    $"domain '{synced.Domain}''s home ledger '{evidence.Ledger}' does not vouch for it: its $governance at size {evidence.CheckpointSize} makes it home for {Homes(evidence.HomeDomains)}"));
            }

            var published = evidence.Publications.FirstOrDefault(p => string.Equals(p.Domain, synced.Domain, StringComparison.Ordinal));
            if (CheckPublication(synced, published, home, recordedAt, maxPolicyAge) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static (Reason Reason, string Detail)? CheckPublication(SyncedDomain synced, Publication? published, string home, DateTimeOffset recordedAt, TimeSpan maxPolicyAge)
    {
        if (published is null)
        {
            return (Reason.GovernanceStale, $"domain '{synced.Domain}' has no policy published by {home} before {Rfc3339.Format(recordedAt)}");
        }

        if (!string.Equals(published.PolicyDigest, synced.PolicyDigest, StringComparison.Ordinal))
        {
            return (Reason.GovernanceInconsistent, string.Create(CultureInfo.InvariantCulture,
                $"domain '{synced.Domain}' synced policy digest {synced.PolicyDigest}, but {home} last published {published.PolicyDigest} ('{published.PolicyId}', position {published.Position})"));
        }

        if (recordedAt - published.PublishedAt > maxPolicyAge)
        {
            return (Reason.GovernanceStale, string.Create(CultureInfo.InvariantCulture,
                $"domain '{synced.Domain}''s policy was last published at {Rfc3339.Format(published.PublishedAt)} (position {published.Position}), older than maxPolicyAge {Deadlines.Duration(maxPolicyAge)} at {Rfc3339.Format(recordedAt)}"));
        }

        return null;
    }

    private static string Homes(IReadOnlyList<string> homes) => homes.Count == 0 ? "no domain" : string.Join(", ", homes);
}
