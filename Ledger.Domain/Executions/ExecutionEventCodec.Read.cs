using Ledger.Domain.Events;

namespace Ledger.Domain.Executions;

public static partial class ExecutionEventCodec
{
    private static readonly Dictionary<string, TrustVerdict> TrustVerdicts = new(StringComparer.Ordinal)
    {
        ["trusted"] = TrustVerdict.Trusted,
        ["untrusted"] = TrustVerdict.Untrusted,
    };

    private static readonly Dictionary<string, VerificationVerdict> VerificationVerdicts = new(StringComparer.Ordinal)
    {
        ["ok"] = VerificationVerdict.Ok,
        ["failed"] = VerificationVerdict.Failed,
    };

    private static readonly Dictionary<string, ExecutionOutcome> Outcomes = new(StringComparer.Ordinal)
    {
        ["succeeded"] = ExecutionOutcome.Succeeded,
        ["failed"] = ExecutionOutcome.Failed,
    };

    private static string? ExecutionIdRule(string value) =>
        ExecutionId.IsValid(value) ? null : "must be 1 to 128 characters of [A-Za-z0-9._:-]";

    private static IntentDeclared? ReadIntentDeclared(DataReader r)
    {
        var id = r.String("executionId", ExecutionIdRule);
        var actor = r.String("actor", DataFormats.AbsoluteUri);
        var action = r.String("action");
        var resources = r.StringArray("resources", nonEmpty: true, unique: true);
        var requested = r.StringArray("requestedScope", nonEmpty: true, unique: true);
        var targets = r.StringArray("targetDomains", nonEmpty: true, unique: true, DataFormats.Domain);
        var parent = r.Object("parent", ReadParent, nullable: true);
        if (id is null || actor is null || action is null || resources is null || requested is null || targets is null)
        {
            return null;
        }

        return new IntentDeclared(ExecutionId.Parse(id), actor, action, resources, requested, targets, parent);
    }

    private static ParentRef? ReadParent(DataReader r)
    {
        var ledger = r.String("ledger");
        var id = r.String("executionId", ExecutionIdRule);
        return ledger is null || id is null ? null : new ParentRef(ledger, ExecutionId.Parse(id));
    }

    private static ParentAttested? ReadParentAttested(DataReader r)
    {
        var ledger = r.String("ledger");
        var id = r.String("executionId", ExecutionIdRule);
        var digest = r.String("attestationDigest", DataFormats.Sha256Digest);
        var checkpoint = r.String("checkpoint", Witnessing.WitnessEventCodec.NoteRule);
        var size = r.Int64("checkpointSize", minimum: 1);
        var version = r.Int64("streamVersion", minimum: 1);
        var statusName = r.String("status");
        var scope = r.StringArray("grantedScope", nonEmpty: false, unique: true);
        var expiresText = r.NullableString("expiresAt");
        var attestedAt = r.Timestamp("attestedAt");
        ExecutionStatus status = default;
        if (statusName is not null && !Federation.AttestationStatement.TryParseStatus(statusName, out status))
        {
            r.Error("status", $"'{statusName}' is not an execution status");
            return null;
        }

        DateTimeOffset? expiresAt = null;
        if (expiresText is not null)
        {
            if (!Rfc3339.TryParse(expiresText, out var parsed))
            {
                r.Error("expiresAt", "must be an RFC 3339 time or null");
                return null;
            }

            expiresAt = parsed;
        }

        return ledger is null || id is null || digest is null || checkpoint is null || size is null || version is null || statusName is null
               || scope is null || attestedAt is null
            ? null
            : new ParentAttested(ledger, ExecutionId.Parse(id), digest, checkpoint, size.Value, version.Value, status, scope, expiresAt, attestedAt.Value);
    }

    private static GovernanceAttested? ReadGovernanceAttested(DataReader r)
    {
        var ledger = r.String("ledger");
        var digest = r.String("attestationDigest", DataFormats.Sha256Digest);
        var checkpoint = r.String("checkpoint", Witnessing.WitnessEventCodec.NoteRule);
        var size = r.Int64("checkpointSize", minimum: 1);
        var version = r.Int64("streamVersion", minimum: 1);
        var homes = r.StringArray("homeDomains", nonEmpty: false, unique: true, DataFormats.Domain);
        var domains = r.StringArray("domains", nonEmpty: true, unique: true, DataFormats.Domain);
        var publications = r.ObjectArray("publications", nonEmpty: false, ReadAttestedPublication);
        var attestedAt = r.Timestamp("attestedAt");
        if (ledger is null || digest is null || checkpoint is null || size is null || version is null || homes is null || domains is null
            || publications is null || attestedAt is null)
        {
            return null;
        }

        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var published in publications)
        {
            if (!domains.Contains(published.Domain, StringComparer.Ordinal) || !named.Add(published.Domain))
            {
                r.Error("publications", $"domain '{published.Domain}' must be one of domains, once");
                return null;
            }
        }

        return new GovernanceAttested(ledger, digest, checkpoint, size.Value, version.Value, homes, domains, publications, attestedAt.Value);
    }

    private static Publications.Publication? ReadAttestedPublication(DataReader r)
    {
        var domain = r.String("domain", DataFormats.Domain);
        var policyId = r.String("policyId");
        var digest = r.String("policyDigest", DataFormats.Sha256Digest);
        var position = r.Int64("position");
        var publishedAt = r.Timestamp("publishedAt");
        return domain is null || policyId is null || digest is null || position is null || publishedAt is null
            ? null
            : new Publications.Publication(domain, policyId, digest, position.Value, publishedAt.Value);
    }

    private static GovernanceSynchronized? ReadGovernanceSynchronized(DataReader r)
    {
        var policyId = r.String("policyId");
        var digest = r.String("policyDigest", DataFormats.Sha256Digest);
        var synced = r.ObjectArray("syncedDomains", nonEmpty: true, ReadSyncedDomain);
        if (synced is not null)
        {
            var duplicate = synced.GroupBy(s => s.Domain, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                r.Error("syncedDomains", $"domain '{duplicate.Key}' appears more than once");
                return null;
            }
        }

        return policyId is null || digest is null || synced is null ? null : new GovernanceSynchronized(policyId, digest, synced);
    }

    private static SyncedDomain? ReadSyncedDomain(DataReader r)
    {
        var domain = r.String("domain", DataFormats.Domain);
        var digest = r.String("policyDigest", DataFormats.Sha256Digest);
        var syncedAt = r.Timestamp("syncedAt");
        return domain is null || digest is null || syncedAt is null ? null : new SyncedDomain(domain, digest, syncedAt.Value);
    }

    private static AuthorizationIssued? ReadAuthorizationIssued(DataReader r)
    {
        var id = r.String("authorizationId");
        var issuer = r.String("issuer", DataFormats.Domain);
        var granted = r.StringArray("grantedScope", nonEmpty: true, unique: true);
        var notBefore = r.Timestamp("notBefore");
        var expiresAt = r.Timestamp("expiresAt");
        var artifact = r.String("artifactDigest", DataFormats.Sha256Digest);
        if (notBefore is not null && expiresAt is not null && expiresAt <= notBefore)
        {
            r.Error("expiresAt", "must be later than notBefore");
            return null;
        }

        if (id is null || issuer is null || granted is null || notBefore is null || expiresAt is null || artifact is null)
        {
            return null;
        }

        return new AuthorizationIssued(id, issuer, granted, notBefore.Value, expiresAt.Value, artifact);
    }

    private static RuntimeTrustEstablished? ReadRuntimeTrustEstablished(DataReader r)
    {
        var workload = r.String("workload", DataFormats.AbsoluteUri);
        var attestationType = r.String("attestationType");
        var measurement = r.String("measurement", DataFormats.Sha256Digest);
        var verifier = r.String("verifier");
        var verdict = r.Enum("verdict", TrustVerdicts);
        if (workload is null || attestationType is null || measurement is null || verifier is null || verdict is null)
        {
            return null;
        }

        return new RuntimeTrustEstablished(workload, attestationType, measurement, verifier, verdict.Value);
    }

    private static ExecutionStarted? ReadStarted(DataReader r)
    {
        var node = r.String("runtimeNode");
        return node is null ? null : new ExecutionStarted(node);
    }

    private static RuntimeVerified? ReadRuntimeVerified(DataReader r)
    {
        var measurement = r.String("measurement", DataFormats.Sha256Digest);
        var verdict = r.Enum("verdict", VerificationVerdicts);
        return measurement is null || verdict is null ? null : new RuntimeVerified(measurement, verdict.Value);
    }

    private static ExecutionCompleted? ReadCompleted(DataReader r)
    {
        var outcome = r.Enum("outcome", Outcomes);
        var outputs = r.StringArray("outputs", nonEmpty: false, unique: false, DataFormats.Sha256Digest);
        return outcome is null || outputs is null ? null : new ExecutionCompleted(outcome.Value, outputs);
    }

    private static ProofPersisted? ReadProofPersisted(DataReader r)
    {
        var size = r.Int64("checkpointSize", minimum: 1);
        var root = r.String("checkpointRoot", RootRule);
        var positions = r.Int64Array("positions", nonEmpty: true, ascending: true);
        var lineage = r.String("lineageDigest", DataFormats.Sha256Digest);
        if (size is not null && positions is not null && positions[^1] >= size)
        {
            r.Error("positions", $"position {positions[^1]} is not inside a checkpoint of size {size}");
            return null;
        }

        return size is null || root is null || positions is null || lineage is null ? null : new ProofPersisted(size.Value, root, positions, lineage);
    }

    private static string? RootRule(string value)
    {
        Span<byte> hash = stackalloc byte[33];
        return Convert.TryFromBase64String(value, hash, out var written) && written == 32
               && string.Equals(Convert.ToBase64String(hash[..32]), value, StringComparison.Ordinal)
            ? null
            : "must be the standard base64 encoding (with padding) of a 32-byte hash";
    }

    private static ITermination? ReadTermination(DataReader r, Func<Reason, string, RejectedEvent?, ITermination> create)
    {
        var code = r.String("reason");
        Reason? reason = null;
        if (code is not null && !Reason.TryParse(code, out reason))
        {
            r.Error("reason", $"'{code}' is not a known reason code ({string.Join(", ", Reason.All.Select(x => x.Code))})");
        }

        var detail = r.String("detail", allowEmpty: true);
        var rejected = r.Object("rejected", ReadRejected, nullable: true, required: false);
        return reason is null || detail is null ? null : create(reason, detail, rejected);
    }

    private static RejectedEvent? ReadRejected(DataReader r)
    {
        var eventId = r.String("eventId");
        var type = r.String("type");
        var digest = r.String("digest", DataFormats.Sha256Digest);
        return eventId is null || type is null || digest is null ? null : new RejectedEvent(eventId, type, digest);
    }
}
