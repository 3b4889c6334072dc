using System.Globalization;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Notes;

namespace Ledger.Verifier;

// The cross-ledger checks of the records of governance attestations (docs/FORMAT.md §10.9): each
// federation.governance-attested.v1 against the home ledger's trusted key and policy, and, when the bundle carries the
// attestation it names, that attestation verified again offline and compared with the record. The home ledger's own
// bundle is not consulted for these records.
public sealed partial class FederationAudit
{
    private (long Records, long Checked, long AttestationsVerified) CheckGovernance(IReadOnlyList<AuditedBundle> bundles, List<FederationFinding> findings)
    {
        long records = 0, checkedCount = 0, verified = 0;
        foreach (var bundle in bundles)
        {
            foreach (var claim in bundle.Report.GovernanceAttestations)
            {
                records++;
                var home = claim.Attested.Ledger;
                if (_trustFor(home) is not { } policy)
                {
                    findings.Add(new FederationFinding(bundle.Origin, bundle.Name, Failure: false, GovernanceFinding(claim, "federation.peer-not-trusted",
                        $"no key of the home ledger '{home}' was given (--trust or --policy), so the governance attestation this record names is not checked", null)));
                    continue;
                }

                checkedCount++;
                if (claim.AttestationText is { } text)
                {
                    verified++;
                    if (!CheckGovernanceAttestation(bundle, claim, policy, text, findings))
                    {
                        continue;
                    }
                }

                CheckGovernanceCheckpoint(bundle, claim, policy, findings);
            }
        }

        return (records, checkedCount, verified);
    }

    /// <summary>
    /// The governance attestation text the bundle carries for the record, verified again as the claiming ledger verified it
    /// (FORMAT §10.8) at the record's <c>recordedAt</c> with the <c>maxPeerSilence</c> then in force: it must be the text the
    /// record's digest names, verify, and prove exactly what the record states for its domains.
    /// </summary>
    private static bool CheckGovernanceAttestation(AuditedBundle bundle, AttestedGovernanceClaim claim, TlogPolicy policy, string text, List<FederationFinding> findings)
    {
        var attested = claim.Attested;
        var digest = ExecutionAttestation.DigestOf(text);
        if (digest != attested.AttestationDigest)
        {
            findings.Add(GovernanceFail(bundle, claim, "federation.attestation-digest-mismatch",
                $"the governance attestation the bundle carries for '{attested.Ledger}' is not the one the record names",
                new EvidenceBuilder().Add("recorded digest", attested.AttestationDigest).Add("calculated digest", digest)));
            return false;
        }

        var context = new AttestationContext(claim.RecordedAt, claim.MaxPeerSilence);
        AttestationCheck? first = null;
        foreach (var log in policy.Logs)
        {
            var check = GovernanceAttestationVerifier.Verify(text, new PeerTrust(attested.Ledger, log.Key, policy), context);
            first ??= check;
            if (check is AttestationCheck.GovernanceVerified { Governance: var proven })
            {
                var expected = GovernanceAttested.Of(attested.Ledger, proven, attested.Domains);
                if (Same(expected, attested))
                {
                    return true;
                }

                findings.Add(GovernanceFail(bundle, claim, "federation.attestation-mismatch",
                    $"the record states what the governance attestation it names does not prove for '{attested.Ledger}'",
                    new EvidenceBuilder().Add("recorded", Describe(attested)).Add("attested", Describe(expected))));
                return false;
            }
        }

        findings.Add(GovernanceFail(bundle, claim, "federation.attestation-rejected",
            $"the governance attestation of '{attested.Ledger}' does not verify with its key and policy at {Time(claim.RecordedAt)}: {first?.Describe() ?? "the policy lists no log key"}",
            new EvidenceBuilder().Add("check", first?.Code ?? "no-log-key")));
        return false;
    }

    private static void CheckGovernanceCheckpoint(AuditedBundle bundle, AttestedGovernanceClaim claim, TlogPolicy policy, List<FederationFinding> findings)
    {
        var attested = claim.Attested;
        if (!SignedNote.TryParse(attested.Checkpoint, out var note, out var error))
        {
            findings.Add(GovernanceFail(bundle, claim, "federation.checkpoint-rejected", $"the checkpoint recorded for the governance of '{attested.Ledger}' is not a signed note: {error}"));
            return;
        }

        var check = policy.Verify(note, claim.RecordedAt);
        if (check is not TlogPolicyCheck.Verified { Checkpoint: var checkpoint })
        {
            findings.Add(GovernanceFail(bundle, claim, "federation.checkpoint-rejected",
                $"the checkpoint recorded for the governance of '{attested.Ledger}' does not meet its policy at {Time(claim.RecordedAt)}: {check.Describe()}",
                new EvidenceBuilder().Add("check", check.Code)));
            return;
        }

        if (checkpoint.Origin != attested.Ledger || checkpoint.Size != attested.CheckpointSize)
        {
            findings.Add(GovernanceFail(bundle, claim, "federation.checkpoint-mismatch",
                Invariant($"the record names a checkpoint of '{attested.Ledger}' at size {attested.CheckpointSize}, but carries one of '{checkpoint.Origin}' at size {checkpoint.Size}"),
                new EvidenceBuilder().Add("recorded size", attested.CheckpointSize).Add("checkpoint size", checkpoint.Size)));
        }
    }

    private static bool Same(GovernanceAttested a, GovernanceAttested b) =>
        a.Ledger == b.Ledger && a.AttestationDigest == b.AttestationDigest && a.Checkpoint == b.Checkpoint && a.CheckpointSize == b.CheckpointSize
        && a.StreamVersion == b.StreamVersion && a.AttestedAt == b.AttestedAt
        && a.HomeDomains.Order(StringComparer.Ordinal).SequenceEqual(b.HomeDomains.Order(StringComparer.Ordinal), StringComparer.Ordinal)
        && a.Domains.SequenceEqual(b.Domains, StringComparer.Ordinal)
        && a.Publications.OrderBy(p => p.Domain, StringComparer.Ordinal).SequenceEqual(b.Publications.OrderBy(p => p.Domain, StringComparer.Ordinal));

    private static string Describe(GovernanceAttested a) => string.Create(CultureInfo.InvariantCulture,
        $"size {a.CheckpointSize}, version {a.StreamVersion}, homes [{string.Join(" ", a.HomeDomains)}], publications [{string.Join(" ", a.Publications.Select(p => $"{p.Domain}={p.PolicyDigest}@{p.Position}"))}], attestedAt {Time(a.AttestedAt)}");

    private static FederationFinding GovernanceFail(AuditedBundle bundle, AttestedGovernanceClaim claim, string code, string message, EvidenceBuilder? evidence = null) =>
        new(bundle.Origin, bundle.Name, Failure: true, GovernanceFinding(claim, code, message, evidence));

    private static Finding GovernanceFinding(AttestedGovernanceClaim claim, string code, string message, EvidenceBuilder? evidence) =>
        new(code, claim.Line, claim.Position, null, message,
            [new("execution", claim.Execution.Value), new("home ledger", claim.Attested.Ledger), new("domains", string.Join(" ", claim.Attested.Domains)), .. evidence?.Items ?? []]);
}
