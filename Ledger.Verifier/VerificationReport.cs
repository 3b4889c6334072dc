using Ledger.Domain.Bundles;

namespace Ledger.Verifier;

/// <summary>The result of verifying one bundle: the verdict, what was checked, and every failure with its evidence.</summary>
/// <remarks>
/// Failures and warnings keep the first 100 each in full (<see cref="Failures"/>, <see cref="Warnings"/>); the counts
/// include all. Immutable.
/// </remarks>
public sealed record VerificationReport
{
    /// <summary>The verdict.</summary>
    public required VerificationOutcome Outcome { get; init; }

    /// <summary>The process exit code: 0 valid, 1 invalid, 2 unusable.</summary>
    public int ExitCode => (int)Outcome;

    /// <summary>The bundle's header, when it could be read.</summary>
    public BundleHeader? Header { get; init; }

    /// <summary>Why the input could not be verified (to the end), when it could not.</summary>
    public string? Unusable { get; init; }

    /// <summary>The first failures found, in bundle order.</summary>
    public IReadOnlyList<Finding> Failures { get; init; } = [];

    /// <summary>How many failures were found.</summary>
    public long FailureCount { get; init; }

    /// <summary>The first warnings (things owed at the end of the bundle).</summary>
    public IReadOnlyList<Finding> Warnings { get; init; } = [];

    /// <summary>How many warnings.</summary>
    public long WarningCount { get; init; }

    /// <summary>What was checked.</summary>
    public VerificationCounts Counts { get; init; } = new();

    /// <summary>The trusted checkpoint keys (name+id), as given.</summary>
    public IReadOnlyList<string> TrustedKeys { get; init; } = [];

    /// <summary>The witness quorum of the policy every checkpoint had to meet, or null when none was required.</summary>
    public string? Quorum { get; init; }

    /// <summary>Every ledger-authored <c>federation.parent-attested.v1</c> in the bundle, for the cross-ledger checks
    /// (<see cref="FederationAudit"/>); empty when only hashes were checked.</summary>
    public IReadOnlyList<AttestedParentClaim> ParentAttestations { get; init; } = [];

    /// <summary>Every ledger-authored <c>federation.governance-attested.v1</c> in the bundle, for the cross-ledger checks
    /// (<see cref="FederationAudit"/>); empty when only hashes were checked.</summary>
    public IReadOnlyList<AttestedGovernanceClaim> GovernanceAttestations { get; init; } = [];

    /// <summary>The split-view records whose evidence showed two views, for the cross-ledger check of their signatures.</summary>
    public IReadOnlyList<SplitViewRecord> SplitViews { get; init; } = [];

    /// <summary>The last checkpoint of a valid full bundle with the compact range at its size, for the next audit to start
    /// from (<c>--save-checkpoint</c>); null when the bundle is not valid, not full, or ends elsewhere.</summary>
    public HeldCheckpoint? LastCheckpoint { get; init; }

    /// <summary>Whether only hashes were checked (<see cref="VerifierSettings.HashesOnly"/>).</summary>
    public bool HashesOnly { get; init; }
}
