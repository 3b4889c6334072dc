using Ledger.Domain.Events;

namespace Ledger.Domain.Executions;

// The events of one governed execution (DESIGN §3), in phase order, with the value objects they hold.
// Wire names are frozen: a change of shape is a new type with a new version suffix.

/// <summary>An event in an execution's stream <c>execution-{id}</c>.</summary>
/// <remarks>Implementations are immutable sealed records carrying a <see cref="WireNameAttribute"/>.</remarks>
public interface IExecutionEvent;

/// <summary>An event that ends an execution with a reason: <see cref="ExecutionDenied"/> or <see cref="ExecutionHalted"/>.</summary>
public interface ITermination : IExecutionEvent
{
    /// <summary>Why the execution ended.</summary>
    public Reason Reason { get; }

    /// <summary>Free text for people: what exactly broke.</summary>
    public string Detail { get; }

    /// <summary>The submission the ledger refused, when the ledger appended this event to fail closed; null otherwise.</summary>
    public RejectedEvent? Rejected { get; }
}

/// <summary>Phase 1: the origin domain declares that an actor intends to act.</summary>
/// <param name="ExecutionId">The execution; equals the id in the stream name.</param>
/// <param name="Actor">Workload identity URI of the actor, e.g. a SPIFFE ID.</param>
/// <param name="Action">What the actor intends to do.</param>
/// <param name="Resources">What it acts on (non-empty, distinct).</param>
/// <param name="RequestedScope">The permissions asked for (non-empty, distinct).</param>
/// <param name="TargetDomains">Every domain the execution touches, the origin included (non-empty, distinct).</param>
/// <param name="Parent">The parent execution, or null for a root.</param>
[WireName("execution.intent-declared.v1")]
public sealed record IntentDeclared(
    ExecutionId ExecutionId,
    string Actor,
    string Action,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> RequestedScope,
    IReadOnlyList<string> TargetDomains,
    ParentRef? Parent) : IExecutionEvent;

/// <summary>A reference to a parent execution, possibly on another ledger.</summary>
/// <param name="Ledger">The origin of the ledger holding the parent (its checkpoint origin line).</param>
/// <param name="ExecutionId">The parent's id on that ledger.</param>
public sealed record ParentRef(string Ledger, ExecutionId ExecutionId);

/// <summary>Phase 2: the policy is synchronized across the target domains.</summary>
/// <param name="PolicyId">The policy's identifier.</param>
/// <param name="PolicyDigest">The policy's digest, <c>sha256:&lt;hex&gt;</c>.</param>
/// <param name="SyncedDomains">Per domain, which digest it holds and since when (non-empty, distinct domains).</param>
[WireName("execution.governance-synchronized.v1")]
public sealed record GovernanceSynchronized(
    string PolicyId,
    string PolicyDigest,
    IReadOnlyList<SyncedDomain> SyncedDomains) : IExecutionEvent;

/// <summary>One domain's policy sync.</summary>
/// <param name="Domain">The domain.</param>
/// <param name="PolicyDigest">The policy digest the domain holds, <c>sha256:&lt;hex&gt;</c>.</param>
/// <param name="SyncedAt">When the domain synced it.</param>
public sealed record SyncedDomain(string Domain, string PolicyDigest, DateTimeOffset SyncedAt);

/// <summary>Phase 3: a target domain issues the authorization.</summary>
/// <param name="AuthorizationId">The authorization's identifier.</param>
/// <param name="Issuer">The issuing domain; must be a target domain and the domain the event is submitted for.</param>
/// <param name="GrantedScope">The permissions granted (non-empty, distinct).</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="ExpiresAt">End of validity; later than <paramref name="NotBefore"/>.</param>
/// <param name="ArtifactDigest">Digest of the credential, <c>sha256:&lt;hex&gt;</c>; never the credential itself.</param>
[WireName("execution.authorization-issued.v1")]
public sealed record AuthorizationIssued(
    string AuthorizationId,
    string Issuer,
    IReadOnlyList<string> GrantedScope,
    DateTimeOffset NotBefore,
    DateTimeOffset ExpiresAt,
    string ArtifactDigest) : IExecutionEvent;

/// <summary>Phase 4: the workload's runtime is attested.</summary>
/// <param name="Workload">Workload identity URI that was attested; must equal the actor.</param>
/// <param name="AttestationType">The attestation mechanism, e.g. <c>tpm</c>, <c>sev-snp</c>.</param>
/// <param name="Measurement">The measured runtime, <c>sha256:&lt;hex&gt;</c>.</param>
/// <param name="Verifier">Who verified the attestation.</param>
/// <param name="Verdict">The verifier's verdict.</param>
[WireName("execution.runtime-trust-established.v1")]
public sealed record RuntimeTrustEstablished(
    string Workload,
    string AttestationType,
    string Measurement,
    string Verifier,
    TrustVerdict Verdict) : IExecutionEvent;

/// <summary>The verdict of a runtime attestation (wire: <c>trusted</c>, <c>untrusted</c>).</summary>
/// <remarks>The default value is the failing one.</remarks>
public enum TrustVerdict
{
    /// <summary><c>untrusted</c></summary>
    Untrusted = 0,

    /// <summary><c>trusted</c></summary>
    Trusted = 1,
}

/// <summary>Phase 5: the execution starts on a runtime node.</summary>
/// <param name="RuntimeNode">Where it runs.</param>
[WireName("execution.started.v1")]
public sealed record ExecutionStarted(string RuntimeNode) : IExecutionEvent;

/// <summary>Phase 6 (repeats): the running workload is verified again.</summary>
/// <param name="Measurement">The measurement now, <c>sha256:&lt;hex&gt;</c>.</param>
/// <param name="Verdict">The verification's verdict.</param>
[WireName("execution.runtime-verified.v1")]
public sealed record RuntimeVerified(string Measurement, VerificationVerdict Verdict) : IExecutionEvent;

/// <summary>The verdict of a runtime verification (wire: <c>ok</c>, <c>failed</c>).</summary>
/// <remarks>The default value is the failing one.</remarks>
public enum VerificationVerdict
{
    /// <summary><c>failed</c></summary>
    Failed = 0,

    /// <summary><c>ok</c></summary>
    Ok = 1,
}

/// <summary>Phase 6 end: the execution finished.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Outputs">Digests of what it produced, <c>sha256:&lt;hex&gt;</c> each (may be empty).</param>
[WireName("execution.completed.v1")]
public sealed record ExecutionCompleted(ExecutionOutcome Outcome, IReadOnlyList<string> Outputs) : IExecutionEvent;

/// <summary>How a completed execution ended (wire: <c>succeeded</c>, <c>failed</c>).</summary>
/// <remarks>The default value is the failing one.</remarks>
public enum ExecutionOutcome
{
    /// <summary><c>failed</c></summary>
    Failed = 0,

    /// <summary><c>succeeded</c></summary>
    Succeeded = 1,
}

/// <summary>Phase 7, appended by the ledger: the execution's events are committed by a signed checkpoint.</summary>
/// <param name="CheckpointSize">Size of the checkpoint's tree (at least 1).</param>
/// <param name="CheckpointRoot">The checkpoint's root hash, standard base64 of 32 bytes.</param>
/// <param name="Positions">The execution's positions in the log, ascending, each below <paramref name="CheckpointSize"/>.</param>
/// <param name="LineageDigest">Digest of the execution's lineage, <c>sha256:&lt;hex&gt;</c>.</param>
[WireName("execution.proof-persisted.v1")]
public sealed record ProofPersisted(
    long CheckpointSize,
    string CheckpointRoot,
    IReadOnlyList<long> Positions,
    string LineageDigest) : IExecutionEvent;

/// <summary>Terminal before start: the execution may not run.</summary>
/// <param name="Reason">Why.</param>
/// <param name="Detail">What exactly broke.</param>
/// <param name="Rejected">The refused submission when the ledger appended this event; null when an emitter did.</param>
[WireName("execution.denied.v1")]
public sealed record ExecutionDenied(Reason Reason, string Detail, RejectedEvent? Rejected = null) : ITermination;

/// <summary>Terminal after start: the running execution must stop.</summary>
/// <param name="Reason">Why.</param>
/// <param name="Detail">What exactly broke.</param>
/// <param name="Rejected">The refused submission when the ledger appended this event; null when an emitter did.</param>
[WireName("execution.halted.v1")]
public sealed record ExecutionHalted(Reason Reason, string Detail, RejectedEvent? Rejected = null) : ITermination;

/// <summary>The submission a terminal event answers: the evidence of a fail-closed refusal.</summary>
/// <param name="EventId">The refused event's id.</param>
/// <param name="Type">The refused event's wire type.</param>
/// <param name="Digest"><c>sha256:&lt;hex&gt;</c> of the refused event's canonical emitter statement.</param>
public sealed record RejectedEvent(string EventId, string Type, string Digest);
