using Ledger.Domain.Bundles;
using Ledger.Domain.Events;
using Ledger.Domain.Log;
using Ledger.Domain.Publications;

namespace Ledger.Verifier.Tests.Building;

// The $governance stream (DESIGN §8.2), written as the server writes it.
internal sealed partial class TestLog
{
    /// <summary>The <c>$governance</c> stream folded so far: what a governance claim is decided against.</summary>
    public GovernanceBook Governance { get; private set; } = GovernanceBook.Empty;

    /// <summary>The ledger records its home domains (its <c>Ledger:HomeDomains</c> setting).</summary>
    public LedgerEntry ConfigureHomes(IReadOnlyList<string> domains, DateTimeOffset at, TestEmitter? by = null)
    {
        var homes = new HomesConfigured(domains);
        var entry = Append(GovernanceBook.StreamName, WireNames.Of<HomesConfigured>(), GovernanceBook.StreamName, by?.Name ?? BundleFormat.LedgerEmitter,
            GovernanceEventCodec.ToData(homes), at, by?.Key);
        Governance = GovernanceBook.Evolve(Governance, homes, entry.Position, entry.RecordedAt);
        return entry;
    }

    /// <summary>A domain's policy published by <paramref name="by"/> (null: by the ledger, for an administrator), unchecked.</summary>
    public LedgerEntry Publish(string domain, string digest, DateTimeOffset at, TestEmitter? by = null)
    {
        var published = new PolicyPublished(domain, "policy-" + digest[^4..], digest);
        var entry = Append(GovernanceBook.StreamName, WireNames.Of<PolicyPublished>(), domain, by?.Name ?? BundleFormat.LedgerEmitter,
            GovernanceEventCodec.ToData(published), at, by?.Key);
        Governance = GovernanceBook.Evolve(Governance, published, entry.Position, entry.RecordedAt);
        return entry;
    }
}
