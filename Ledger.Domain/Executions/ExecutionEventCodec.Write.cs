using System.Diagnostics;
using System.Text.Json;
using Ledger.Domain.Events;

namespace Ledger.Domain.Executions;

public static partial class ExecutionEventCodec
{
    private static void Write(Utf8JsonWriter w, IExecutionEvent @event)
    {
        w.WriteStartObject();
        switch (@event)
        {
            case IntentDeclared e:
                w.WriteString("executionId", e.ExecutionId.Value);
                w.WriteString("actor", e.Actor);
                w.WriteString("action", e.Action);
                JsonData.WriteStrings(w, "resources", e.Resources);
                JsonData.WriteStrings(w, "requestedScope", e.RequestedScope);
                JsonData.WriteStrings(w, "targetDomains", e.TargetDomains);
                if (e.Parent is null)
                {
                    w.WriteNull("parent");
                }
                else
                {
                    w.WriteStartObject("parent");
                    w.WriteString("ledger", e.Parent.Ledger);
                    w.WriteString("executionId", e.Parent.ExecutionId.Value);
                    w.WriteEndObject();
                }

                break;
            case ParentAttested e:
                w.WriteString("ledger", e.Ledger);
                w.WriteString("executionId", e.ExecutionId.Value);
                w.WriteString("attestationDigest", e.AttestationDigest);
                w.WriteString("checkpoint", e.Checkpoint);
                w.WriteNumber("checkpointSize", e.CheckpointSize);
                w.WriteNumber("streamVersion", e.StreamVersion);
                w.WriteString("status", e.Status.ToWireName());
                JsonData.WriteStrings(w, "grantedScope", e.GrantedScope);
                if (e.ExpiresAt is { } expires)
                {
                    w.WriteString("expiresAt", Rfc3339.Format(expires));
                }
                else
                {
                    w.WriteNull("expiresAt");
                }

                w.WriteString("attestedAt", Rfc3339.Format(e.AttestedAt));
                break;
            case GovernanceAttested e:
                w.WriteString("ledger", e.Ledger);
                w.WriteString("attestationDigest", e.AttestationDigest);
                w.WriteString("checkpoint", e.Checkpoint);
                w.WriteNumber("checkpointSize", e.CheckpointSize);
                w.WriteNumber("streamVersion", e.StreamVersion);
                JsonData.WriteStrings(w, "homeDomains", e.HomeDomains);
                JsonData.WriteStrings(w, "domains", e.Domains);
                w.WriteStartArray("publications");
                foreach (var published in e.Publications)
                {
                    w.WriteStartObject();
                    w.WriteString("domain", published.Domain);
                    w.WriteString("policyId", published.PolicyId);
                    w.WriteString("policyDigest", published.PolicyDigest);
                    w.WriteNumber("position", published.Position);
                    w.WriteString("publishedAt", Rfc3339.Format(published.PublishedAt));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteString("attestedAt", Rfc3339.Format(e.AttestedAt));
                break;
            case GovernanceSynchronized e:
                w.WriteString("policyId", e.PolicyId);
                w.WriteString("policyDigest", e.PolicyDigest);
                w.WriteStartArray("syncedDomains");
                foreach (var synced in e.SyncedDomains)
                {
                    w.WriteStartObject();
                    w.WriteString("domain", synced.Domain);
                    w.WriteString("policyDigest", synced.PolicyDigest);
                    w.WriteString("syncedAt", Rfc3339.Format(synced.SyncedAt));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                break;
            case AuthorizationIssued e:
                w.WriteString("authorizationId", e.AuthorizationId);
                w.WriteString("issuer", e.Issuer);
                JsonData.WriteStrings(w, "grantedScope", e.GrantedScope);
                w.WriteString("notBefore", Rfc3339.Format(e.NotBefore));
                w.WriteString("expiresAt", Rfc3339.Format(e.ExpiresAt));
                w.WriteString("artifactDigest", e.ArtifactDigest);
                break;
            case RuntimeTrustEstablished e:
                w.WriteString("workload", e.Workload);
                w.WriteString("attestationType", e.AttestationType);
                w.WriteString("measurement", e.Measurement);
                w.WriteString("verifier", e.Verifier);
                w.WriteString("verdict", e.Verdict == TrustVerdict.Trusted ? "trusted" : "untrusted");
                break;
            case ExecutionStarted e:
                w.WriteString("runtimeNode", e.RuntimeNode);
                break;
            case RuntimeVerified e:
                w.WriteString("measurement", e.Measurement);
                w.WriteString("verdict", e.Verdict == VerificationVerdict.Ok ? "ok" : "failed");
                break;
            case ExecutionCompleted e:
                w.WriteString("outcome", e.Outcome == ExecutionOutcome.Succeeded ? "succeeded" : "failed");
                JsonData.WriteStrings(w, "outputs", e.Outputs);
                break;
            case ProofPersisted e:
                w.WriteNumber("checkpointSize", e.CheckpointSize);
                w.WriteString("checkpointRoot", e.CheckpointRoot);
                w.WriteStartArray("positions");
                foreach (var position in e.Positions)
                {
                    w.WriteNumberValue(position);
                }

                w.WriteEndArray();
                w.WriteString("lineageDigest", e.LineageDigest);
                break;
            case ITermination e:
                w.WriteString("reason", e.Reason.Code);
                w.WriteString("detail", e.Detail);
                if (e.Rejected is not null)
                {
                    w.WriteStartObject("rejected");
                    w.WriteString("eventId", e.Rejected.EventId);
                    w.WriteString("type", e.Rejected.Type);
                    w.WriteString("digest", e.Rejected.Digest);
                    w.WriteEndObject();
                }

                break;
            default:
                throw new UnreachableException($"No writer for {@event.GetType().FullName}.");
        }

        w.WriteEndObject();
    }
}
