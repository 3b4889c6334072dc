using System.Globalization;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Notes;

namespace Ledger.Verifier;

/// <summary>
/// The cross-ledger checks of an offline audit over several ledgers' bundles (DESIGN §8.2, docs/FORMAT.md §10.4): every
/// <c>federation.parent-attested.v1</c> a bundle holds (each cross-ledger decision, and each end a remote parent
/// justified) is checked against the peer's trusted key and policy, and, when the peer's own full bundle is given too,
/// against what the peer's log holds at that size.
/// </summary>
/// <remarks>
/// <para>Per record:</para>
/// <list type="number">
/// <item>The peer (the record's <c>ledger</c>) must have a trusted key (<c>--trust</c> or a policy's log line). Without one
/// the record is counted as not checked and reported as a warning: nothing about it can be vouched for.</item>
/// <item>When the bundle carries the attestation the record names (lineage bundles, FORMAT §7.3), it must be that text
/// (its digest), verify as FORMAT §10.3 says with the peer's key and policy at the record's <c>recordedAt</c>, and prove
/// what the record states (a failure of the child's ledger).</item>
/// <item>Its checkpoint must meet the peer's policy at the record's <c>recordedAt</c> (signature, witness quorum), be a
/// checkpoint of the peer, and have the record's <c>checkpointSize</c>. A failure belongs to the child's ledger: it
/// recorded a decision on evidence that does not hold.</item>
/// <item>With the peer's full bundle: the peer's log must have the checkpoint's root at that size, or the peer signed two
/// views (a failure of the peer's ledger); the parent's entries below that size must fold to the recorded version,
/// status, granted scope and expiry (a failure of the child's ledger, which recorded a state the peer's log does
/// not hold).</item>
/// </list>
/// <para>Stateless apart from its inputs; not thread-safe.</para>
/// </remarks>
public sealed partial class FederationAudit
{
    private readonly Func<string, TlogPolicy?> _trustFor;

    /// <summary>Creates the audit with how to find a ledger's trust by its origin (null when none was given).</summary>
    public FederationAudit(Func<string, TlogPolicy?> trustFor)
    {
        ArgumentNullException.ThrowIfNull(trustFor);
        _trustFor = trustFor;
    }

    /// <summary>Checks every record of <paramref name="bundles"/>; <paramref name="open"/> opens a bundle again for the
    /// second reading of a peer's bundle (null when it cannot be read again, as standard input).</summary>
    public FederationReport Check(IReadOnlyList<AuditedBundle> bundles, Func<AuditedBundle, Stream?> open)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        ArgumentNullException.ThrowIfNull(open);
        var findings = new List<FederationFinding>();
        long checkedCount = 0, notTrusted = 0, compared = 0, attestationsVerified = 0;
        var claims = bundles.SelectMany(b => b.Report.ParentAttestations.Select(c => (Bundle: b, Claim: c))).ToList();
        var signatureChecked = new List<(AuditedBundle Bundle, AttestedParentClaim Claim, Checkpoint Checkpoint)>();
        foreach (var (bundle, claim) in claims)
        {
            var peer = claim.Attested.Ledger;
            if (_trustFor(peer) is not { } policy)
            {
                notTrusted++;
                findings.Add(Warn(bundle, claim, "federation.peer-not-trusted",
                    $"no key of the peer ledger '{peer}' was given (--trust or --policy), so the attestation this record names is not checked"));
                continue;
            }

            checkedCount++;
            if (claim.AttestationText is { } text)
            {
                attestationsVerified++;
                if (!CheckAttestation(bundle, claim, policy, text, findings))
                {
                    continue;
                }
            }

            if (CheckCheckpoint(bundle, claim, policy, findings) is { } checkpoint)
            {
                signatureChecked.Add((bundle, claim, checkpoint));
            }
        }

        // The peers' own bundles, read once each for every question asked of them.
        foreach (var group in signatureChecked.GroupBy(c => c.Claim.Attested.Ledger, StringComparer.Ordinal))
        {
            var peerBundle = bundles.FirstOrDefault(b => b.Origin == group.Key && b.Report.Outcome == VerificationOutcome.Valid);
            if (peerBundle is null)
            {
                continue;
            }

            BundleProbe probe;
            using (var stream = open(peerBundle))
            {
                if (stream is null)
                {
                    continue;
                }

                probe = BundleProbe.Read(stream, group.Select(c => c.Checkpoint.Size), group.Select(c => c.Claim.Attested.ExecutionId));
            }

            foreach (var (bundle, claim, checkpoint) in group)
            {
                if (Compare(bundle, peerBundle, claim, checkpoint, probe, findings))
                {
                    compared++;
                }
            }
        }

        var governance = CheckGovernance(bundles, findings);
        var splitViews = CheckSplitViews(bundles, findings);
        return new FederationReport(claims.Count, checkedCount, notTrusted, compared, findings)
        {
            SplitViewRecords = splitViews.Records,
            SplitViewsChecked = splitViews.Checked,
            AttestationsVerified = attestationsVerified + governance.AttestationsVerified,
            GovernanceRecords = governance.Records,
            GovernanceChecked = governance.Checked,
        };
    }

    /// <summary>
    /// The attestation text the bundle carries for the record, verified again as the child's ledger verified it (FORMAT
    /// §10.3) with the peer's key and policy from the auditor, at the record's <c>recordedAt</c> with the
    /// <c>maxPeerSilence</c> then in force: it must be the text the record's digest names, verify, and prove exactly what
    /// the record states. Any failure belongs to the child's ledger, which recorded a decision on it.
    /// </summary>
    private static bool CheckAttestation(AuditedBundle bundle, AttestedParentClaim claim, TlogPolicy policy, string text, List<FederationFinding> findings)
    {
        var attested = claim.Attested;
        var digest = ExecutionAttestation.DigestOf(text);
        if (digest != attested.AttestationDigest)
        {
            findings.Add(Fail(bundle, claim, bundle.Origin, "federation.attestation-digest-mismatch",
                $"the attestation the bundle carries for parent '{attested.ExecutionId}' is not the one the record names",
                new EvidenceBuilder().Add("recorded digest", attested.AttestationDigest).Add("calculated digest", digest)));
            return false;
        }

        var context = new AttestationContext(claim.RecordedAt, claim.MaxPeerSilence);
        AttestationCheck? first = null;
        foreach (var log in policy.Logs)
        {
            var check = AttestationVerifier.Verify(text, new PeerTrust(attested.Ledger, log.Key, policy), attested.ExecutionId, context);
            first ??= check;
            if (check is AttestationCheck.Verified verified)
            {
                return Matches(bundle, claim, verified.Execution, findings);
            }
        }

        findings.Add(Fail(bundle, claim, bundle.Origin, "federation.attestation-rejected",
            Invariant($"the attestation of parent '{attested.ExecutionId}' does not verify with the key and policy of '{attested.Ledger}' at {Time(claim.RecordedAt)}: {first?.Describe() ?? "the policy lists no log key"}"),
            new EvidenceBuilder().Add("check", first?.Code ?? "no-log-key")));
        return false;
    }

    private static bool Matches(AuditedBundle bundle, AttestedParentClaim claim, AttestedExecution proven, List<FederationFinding> findings)
    {
        var attested = claim.Attested;
        var differences = new EvidenceBuilder();
        if (proven.Statement.Size != attested.CheckpointSize || proven.CheckpointNote != attested.Checkpoint)
        {
            differences.Add("recorded checkpoint size", attested.CheckpointSize).Add("attested checkpoint size", proven.Statement.Size);
        }

        if (proven.Statement.Version != attested.StreamVersion)
        {
            differences.Add("recorded version", attested.StreamVersion).Add("attested version", proven.Statement.Version);
        }

        if (proven.State.Status != attested.Status)
        {
            differences.Add("recorded status", attested.Status.ToWireName()).Add("attested status", proven.State.Status.ToWireName());
        }

        if (!proven.State.GrantedScope.SequenceEqual(attested.GrantedScope, StringComparer.Ordinal) || proven.State.ExpiresAt != attested.ExpiresAt
            || proven.Statement.Time != attested.AttestedAt)
        {
            differences.Add("recorded scope", string.Join(" ", attested.GrantedScope)).Add("attested scope", string.Join(" ", proven.State.GrantedScope))
                .Add("recorded attestedAt", Time(attested.AttestedAt)).Add("attested time", Time(proven.Statement.Time));
        }

        if (differences.Items.Count == 0)
        {
            return true;
        }

        findings.Add(Fail(bundle, claim, bundle.Origin, "federation.attestation-mismatch",
            Invariant($"the record states what the attestation it names does not prove for parent '{attested.ExecutionId}'"), differences));
        return false;
    }

    private static Checkpoint? CheckCheckpoint(AuditedBundle bundle, AttestedParentClaim claim, TlogPolicy policy, List<FederationFinding> findings)
    {
        var attested = claim.Attested;
        if (!SignedNote.TryParse(attested.Checkpoint, out var note, out var error))
        {
            findings.Add(Fail(bundle, claim, bundle.Origin, "federation.checkpoint-rejected",
                $"the checkpoint recorded for parent '{attested.ExecutionId}' of '{attested.Ledger}' is not a signed note: {error}"));
            return null;
        }

        var check = policy.Verify(note, claim.RecordedAt);
        if (check is not TlogPolicyCheck.Verified { Checkpoint: var checkpoint })
        {
            findings.Add(Fail(bundle, claim, bundle.Origin, "federation.checkpoint-rejected",
                $"the checkpoint recorded for parent '{attested.ExecutionId}' does not meet the policy of '{attested.Ledger}' at {Time(claim.RecordedAt)}: {check.Describe()}",
                new EvidenceBuilder().Add("check", check.Code)));
            return null;
        }

        if (checkpoint.Origin != attested.Ledger || checkpoint.Size != attested.CheckpointSize)
        {
            findings.Add(Fail(bundle, claim, bundle.Origin, "federation.checkpoint-mismatch",
                Invariant($"the record names a checkpoint of '{attested.Ledger}' at size {attested.CheckpointSize}, but carries one of '{checkpoint.Origin}' at size {checkpoint.Size}"),
                new EvidenceBuilder().Add("recorded size", attested.CheckpointSize).Add("checkpoint size", checkpoint.Size)));
            return null;
        }

        return checkpoint;
    }

    // Whether the peer's bundle could answer for the record (it reaches the checkpoint's size, or holds the parent).
    private static bool Compare(AuditedBundle bundle, AuditedBundle peer, AttestedParentClaim claim, Checkpoint checkpoint, BundleProbe probe, List<FederationFinding> findings)
    {
        var attested = claim.Attested;
        if (probe.CoversFromZero && probe.Roots.TryGetValue(checkpoint.Size, out var root) && !root.AsSpan().SequenceEqual(checkpoint.RootHash.Span))
        {
            findings.Add(Fail(bundle, claim, attested.Ledger, "federation.split-view",
                Invariant($"'{attested.Ledger}' signed a checkpoint of size {checkpoint.Size} whose root is not the root of its own log at that size in '{peer.Name}': it showed two views"),
                new EvidenceBuilder().Hash("root signed for the child's ledger", checkpoint.RootHash.Span).Hash("root of the peer's bundle", root)));
            return true;
        }

        if (probe.StateAt(attested.ExecutionId, checkpoint.Size) is not { } state)
        {
            if (probe.CoversFromZero && probe.Size >= checkpoint.Size)
            {
                findings.Add(Fail(bundle, claim, bundle.Origin, "federation.parent-unknown",
                    Invariant($"the record states parent '{attested.ExecutionId}' at version {attested.StreamVersion}, but '{peer.Name}' holds no entry of that execution below size {checkpoint.Size}")));
                return true;
            }

            return false;
        }

        var expected = state.State;
        var differences = new EvidenceBuilder();
        if (state.Version != attested.StreamVersion)
        {
            differences.Add("recorded version", attested.StreamVersion).Add("peer's version", state.Version);
        }

        if (expected.Status != attested.Status)
        {
            differences.Add("recorded status", attested.Status.ToWireName()).Add("peer's status", expected.Status.ToWireName());
        }

        if (!expected.GrantedScope.SequenceEqual(attested.GrantedScope, StringComparer.Ordinal))
        {
            differences.Add("recorded scope", string.Join(" ", attested.GrantedScope)).Add("peer's scope", string.Join(" ", expected.GrantedScope));
        }

        if (expected.ExpiresAt != attested.ExpiresAt)
        {
            differences.Add("recorded expiresAt", attested.ExpiresAt is { } r ? Time(r) : "null").Add("peer's expiresAt", expected.ExpiresAt is { } p ? Time(p) : "null");
        }

        if (differences.Items.Count > 0)
        {
            findings.Add(Fail(bundle, claim, bundle.Origin, "federation.attested-state-mismatch",
                Invariant($"the record states a parent state that the log of '{attested.Ledger}' does not hold at size {checkpoint.Size} ('{peer.Name}')"),
                differences));
        }

        return true;
    }

    private static FederationFinding Fail(AuditedBundle bundle, AttestedParentClaim claim, string blamed, string code, string message, EvidenceBuilder? evidence = null) =>
        new(blamed, bundle.Name, Failure: true, Finding(claim, code, message, evidence));

    private static FederationFinding Warn(AuditedBundle bundle, AttestedParentClaim claim, string code, string message) =>
        new(bundle.Origin, bundle.Name, Failure: false, Finding(claim, code, message, null));

    private static Finding Finding(AttestedParentClaim claim, string code, string message, EvidenceBuilder? evidence) =>
        new(code, claim.Line, claim.Position, null, message,
            [new("child", claim.Child.Value), new("parent", claim.Attested.ExecutionId.Value), new("parent ledger", claim.Attested.Ledger), .. evidence?.Items ?? []]);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One verified bundle of an audit over several ledgers.</summary>
/// <param name="Name">The bundle's file name as given.</param>
/// <param name="Origin">The origin of the ledger that exported it (its header's).</param>
/// <param name="Report">Its own verification.</param>
public sealed record AuditedBundle(string Name, string Origin, VerificationReport Report);

/// <summary>A cross-ledger finding, with the ledger it belongs to.</summary>
/// <param name="Ledger">The origin of the ledger at fault: the child's, for a record on evidence that does not hold; the
/// peer's, when its own log contradicts the checkpoint it signed.</param>
/// <param name="Bundle">The bundle holding the record.</param>
/// <param name="Failure">A failure (true) or a warning.</param>
/// <param name="Finding">What, where and the evidence.</param>
public sealed record FederationFinding(string Ledger, string Bundle, bool Failure, Finding Finding);

/// <summary>The result of the cross-ledger checks.</summary>
/// <param name="Records">The <c>federation.parent-attested.v1</c> records found in the bundles.</param>
/// <param name="Checked">Those whose peer had a trusted key, checked against it.</param>
/// <param name="NotTrusted">Those whose peer had no trusted key.</param>
/// <param name="Compared">Those compared with the peer's own bundle.</param>
/// <param name="Findings">Every failure and warning.</param>
public sealed record FederationReport(long Records, long Checked, long NotTrusted, long Compared, IReadOnlyList<FederationFinding> Findings)
{
    /// <summary>Those whose attestation text the bundle carried, verified again offline (FORMAT §10.3, §10.8), of both kinds of record.</summary>
    public long AttestationsVerified { get; init; }

    /// <summary>The <c>federation.governance-attested.v1</c> records found in the bundles.</summary>
    public long GovernanceRecords { get; init; }

    /// <summary>Those whose home ledger had a trusted key, checked against it.</summary>
    public long GovernanceChecked { get; init; }

    /// <summary>The split-view records whose evidence showed two views (FORMAT §10.5).</summary>
    public long SplitViewRecords { get; init; }

    /// <summary>Those whose origin had a trusted key, and whose two notes were checked against it.</summary>
    public long SplitViewsChecked { get; init; }

    /// <summary>Whether any record failed.</summary>
    public bool Failed => Findings.Any(f => f.Failure);
}
