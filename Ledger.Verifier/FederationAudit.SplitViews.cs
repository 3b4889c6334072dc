using Ledger.Domain.Federation;
using Ledger.Domain.Notes;

namespace Ledger.Verifier;

// The cross-ledger check of split-view records (docs/FORMAT.md §10.5): a bundle's own verification shows that the two
// notes are checkpoints of the origin that cannot both be true; only the origin's trusted key shows that the origin
// signed both. A record that passes the first but not the second would let a ledger end children of a peer's executions
// (peer-split-view) on views the peer never showed.
public sealed partial class FederationAudit
{
    private (long Records, long Checked) CheckSplitViews(IReadOnlyList<AuditedBundle> bundles, List<FederationFinding> findings)
    {
        long records = 0, checkedCount = 0;
        foreach (var bundle in bundles)
        {
            foreach (var record in bundle.Report.SplitViews)
            {
                records++;
                var origin = record.Evidence.Origin;
                if (_trustFor(origin) is not { } policy)
                {
                    findings.Add(new FederationFinding(bundle.Origin, bundle.Name, Failure: false, SplitViewFinding(record, "federation.peer-not-trusted",
                        $"no key of the ledger '{origin}' was given (--trust or --policy), so the signatures of the two views this split-view record shows are not checked",
                        null)));
                    continue;
                }

                checkedCount++;
                foreach (var (which, note) in new[] { ("held", record.Evidence.HeldNote), ("conflicting", record.Evidence.ConflictingNote) })
                {
                    var check = SignedNote.TryParse(note, out var signed, out var error)
                        ? policy.LogVerifiers.Verify(signed)
                        : new NoteCheck.Malformed(error);
                    if (!check.IsVerified)
                    {
                        findings.Add(new FederationFinding(bundle.Origin, bundle.Name, Failure: true, SplitViewFinding(record, "federation.split-view-evidence-invalid",
                            $"the {which} checkpoint of the split-view record is not signed by a trusted key of '{origin}' ({check.Code}): the record does not prove that '{origin}' showed two views",
                            new EvidenceBuilder().Add("note", which).Add("check", check.Code))));
                        break;
                    }
                }
            }
        }

        return (records, checkedCount);
    }

    private static Finding SplitViewFinding(SplitViewRecord record, string code, string message, EvidenceBuilder? evidence) =>
        new(code, record.Line, record.Position, null, message,
            [new("origin", record.Evidence.Origin), new("kind", FederationEventCodec.NameOf(record.Evidence.Kind)), .. evidence?.Items ?? []]);
}
