using System.Security.Cryptography;
using Ledger.Application.Hosting;
using Ledger.Application.Jobs;
using Ledger.Application.Registry;
using Ledger.Application.Telemetry;
using Ledger.Domain.Crypto;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Domain.Parameters;
using Ledger.Store;

namespace Ledger.Application.Executions;

/// <summary>
/// The command service for every emitter write to an execution (load → decide → append → consequences, as
/// Eventuous's CommandService): authorize per domain, verify signatures, answer idempotent retries, then decide
/// under the store's write lock from the execution record and its ancestors, appending the submission or, when
/// it breaks a rule, the ledger's denial or halt (DESIGN §3, "How a submission is answered"). A denial or halt
/// leaves its cascade to <see cref="CascadeJob"/>: the answer does not wait for the descendants.
/// </summary>
public sealed class ExecutionCommands(LedgerNode node, LedgerRegistry registry, LedgerClock clock, CascadeJob cascade, LedgerTelemetry telemetry, Federation.RemoteParents remoteParents, Federation.RemoteGovernance remoteGovernance)
{
    // A registry change between reading it and appending asks for one more decision; more than this is a storm.
    private const int MaxRegistryRetries = 5;

    /// <summary>Appends an emitter's submission to an execution's stream.</summary>
    public async Task<AppendOutcome> AppendAsync(string emitter, ExecutionId executionId, SubmittedAppend request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = LedgerTelemetry.ActivitySource.StartActivity("ledger.append");
        activity?.SetTag("ledger.execution", executionId.Value).SetTag("ledger.emitter", emitter).SetTag("ledger.events", request.Events.Count);
        var outcome = await DecideAsync(emitter, executionId, request, ct).ConfigureAwait(false);
        var name = OutcomeName(outcome);
        telemetry.Appended(name);
        activity?.SetTag("ledger.outcome", name);
        switch (outcome)
        {
            case AppendOutcome.Created { Entries: [var first, ..] }:
                activity?.SetTag("ledger.position", first.Position);
                break;
            case AppendOutcome.Refused refused:
                activity?.SetTag("ledger.reason", refused.Reason.Code).SetTag("ledger.position", refused.LedgerEntries.Count > 0 ? refused.LedgerEntries[0].Position : null);
                break;
        }

        return outcome;
    }

    /// <summary>The outcome's name in metrics and spans.</summary>
    public static string OutcomeName(AppendOutcome outcome) => outcome switch
    {
        AppendOutcome.Created { Replayed: true } => "replayed",
        AppendOutcome.Created => "created",
        AppendOutcome.Refused => "refused",
        AppendOutcome.Invalid => "invalid",
        AppendOutcome.BadSignature => "bad-signature",
        AppendOutcome.SignatureRequired => "signature-required",
        AppendOutcome.Forbidden => "forbidden",
        AppendOutcome.VersionConflict => "version-conflict",
        AppendOutcome.EventIdConflict => "event-id-conflict",
        AppendOutcome.Terminal => "terminal",
        AppendOutcome.EntryTooLarge => "entry-too-large",
        AppendOutcome.Conflict => "conflict",
        AppendOutcome.NotHome => "not-home",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown append outcome."),
    };

    private async Task<AppendOutcome> DecideAsync(string emitter, ExecutionId executionId, SubmittedAppend request, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var snapshot = await registry.GetAsync(ct).ConfigureAwait(false);
            var prepared = Prepare(emitter, executionId, request, snapshot, out var problem);
            if (problem is not null)
            {
                return problem;
            }

            var outcome = await DecideAndAppendAsync(executionId, request.ExpectedVersion, prepared, snapshot, ct).ConfigureAwait(false);
            if (outcome is AppendOutcome.Terminal or AppendOutcome.EventIdConflict or AppendOutcome.VersionConflict)
            {
                // Perhaps a retry of a submission the ledger refused (the refusal made the execution terminal):
                // it gets the original answer. Looked up only then, so that a plain append makes no extra reads.
                return await FindRefusalAsync(executionId, prepared, ct).ConfigureAwait(false) ?? outcome;
            }

            if (outcome is not null)
            {
                return outcome;
            }

            registry.Invalidate(); // The parameters or emitters moved under the decision: decide again with the new ones.
            if (attempt >= MaxRegistryRetries)
            {
                return new AppendOutcome.Conflict("registry-moving", "the ledger's parameters or emitters changed during every attempt; retry");
            }
        }
    }

    /// <summary>Whether the execution may act now, from its record and its ancestors' (never a read model).</summary>
    /// <returns>Null when the execution has no events.</returns>
    public async Task<ExecutionClearance?> ClearanceAsync(ExecutionId executionId, CancellationToken ct)
    {
        var lineage = await node.Store.ReadExecutionAsync(executionId, ct).ConfigureAwait(false);
        if (lineage.Record is null)
        {
            return null;
        }

        var snapshot = await registry.GetAsync(ct).ConfigureAwait(false);
        // The remote parent's freshness is the follow row read in the same snapshot as the record (never a cache).
        var follow = lineage.RemoteFollow is { } f && f.Parent == lineage.Record.State.Parent ? (f.VerifiedAt, f.Status) : default((DateTimeOffset, ExecutionStatus)?);
        return Execution.Status(lineage.Record.State, clock.Now(), snapshot.Parameters, lineage.EndedAncestor, follow);
    }

    private static List<Prepared> Prepare(string emitter, ExecutionId executionId, SubmittedAppend request, RegistrySnapshot snapshot, out AppendOutcome? problem)
    {
        problem = null;
        var prepared = new List<Prepared>(request.Events.Count);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < request.Events.Count; i++)
        {
            var e = request.Events[i];
            if (!snapshot.Emitters.CanSpeakFor(emitter, e.Domain))
            {
                problem = new AppendOutcome.Forbidden($"Emitter '{emitter}' may not append events for domain '{e.Domain}'.");
                return prepared;
            }

            if (!ExecutionEventCodec.TryParse(e.Type, e.Data, out var typed, out var dataErrors))
            {
                errors[$"events[{i}].data"] = [.. dataErrors];
                continue;
            }

            if (ExecutionEventCodec.LedgerOnlyTypes.Contains(e.Type))
            {
                problem = new AppendOutcome.Forbidden($"Only the ledger appends {e.Type}.");
                return prepared;
            }

            var statement = new EmitterStatement(executionId.StreamName, e.EventId, e.Type, e.Domain, emitter, e.OccurredAt, e.Data, e.Metadata);

            // The statement's canonical bytes, once: the signature covers them and the digest names them.
            var bytes = statement.ToCanonicalBytes();
            if (bytes.Length > LedgerEntry.MaxCanonicalBytes)
            {
                // The entry holds the statement's members and more: refused before the store is asked.
                problem = new AppendOutcome.EntryTooLarge(e.EventId, bytes.Length, AtLeast: true);
                return prepared;
            }

            if (CheckSignature(snapshot.Emitters.Find(emitter), statement, bytes, e.Signature) is { } signatureProblem)
            {
                problem = signatureProblem;
                return prepared;
            }

            var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
            prepared.Add(new Prepared(new ProposedEvent(statement, e.Signature) { Digest = digest }, typed, Submission.For(typed, e.EventId, digest, emitter, e.Domain)));
        }

        if (errors.Count > 0)
        {
            problem = new AppendOutcome.Invalid(errors);
        }

        return prepared;
    }

    /// <summary>Null when the registry moved under the decision (decide again).</summary>
    private async Task<AppendOutcome?> DecideAndAppendAsync(
        ExecutionId executionId, long expectedVersion, IReadOnlyList<Prepared> prepared, RegistrySnapshot snapshot, CancellationToken ct)
    {
        var intentParent = prepared.Select(p => (p.Event as IntentDeclared)?.Parent).FirstOrDefault(p => p is not null);
        var remote = await RemoteParentAsync(executionId, intentParent, prepared, snapshot.Parameters, ct).ConfigureAwait(false);
        var remoteGovernance = await RemoteGovernanceAsync(prepared, snapshot.Parameters, ct).ConfigureAwait(false);
        var guards = Guards(snapshot);
        var governance = Domain.Publications.GovernanceBook.Empty;
        if (prepared.Any(p => p.Event is GovernanceSynchronized))
        {
            // The $governance stream is read from the log for this decision only, and the append happens only if it is
            // still at the version read: the claim is decided against the publications as committed at the append.
            (governance, var governanceVersion) = await Publications.GovernanceLog.ReadAsync(node.Store, ct).ConfigureAwait(false);
            guards[Domain.Publications.GovernanceBook.StreamName] = governanceVersion;
        }

        var request = new AppendRequest(executionId.StreamName, expectedVersion, default, [.. prepared.Select(p => p.Proposed)])
        {
            Decide = view => Decide(view, prepared, snapshot.Parameters, remote, governance, remoteGovernance),
            ParentHint = intentParent is not null && IsLocal(intentParent) ? intentParent.ExecutionId : null,
            Guards = guards,
        };
        AppendResult result;
        try
        {
            result = await node.Store.AppendAsync(request, ct).ConfigureAwait(false);
        }
        catch (EntryTooLargeException e)
        {
            return new AppendOutcome.EntryTooLarge(e.EventId, e.Size, AtLeast: false);
        }

        switch (result)
        {
            case AppendResult.Appended { Tag: RefusalTag refusal } appended:
                cascade.Wake();
                telemetry.Refused(executionId, refusal.Reason, appended.Entries[refusal.Accepted], refusal.Rejected.EventId);
                return new AppendOutcome.Refused(
                    refusal.Reason, refusal.Detail, refusal.Rejected, [.. appended.Entries.Take(refusal.Accepted)], [.. appended.Entries.Skip(refusal.Accepted)]);
            case AppendResult.Appended appended:
                if (appended.Record?.EndsDescendants == true)
                {
                    cascade.Wake(); // An emitter's own denial or halt ends the descendants too.
                }

                return AppendOutcome.Of(appended);
            default:
                return AppendOutcome.Of(result);
        }
    }

    /// <summary>
    /// For an intent naming a parent on another ledger, or the start of an execution that has one: what can be proven of
    /// that parent now (DESIGN §8.2), obtained before the write lock is taken; null when nothing depends on a remote parent.
    /// </summary>
    private async Task<(ParentRef Parent, Federation.RemoteParent Found)?> RemoteParentAsync(
        ExecutionId executionId, ParentRef? intentParent, IReadOnlyList<Prepared> prepared, LedgerParameters parameters, CancellationToken ct)
    {
        var parent = intentParent;
        if (parent is null && prepared.Any(p => p.Event is ExecutionStarted))
        {
            parent = (await node.Store.ReadExecutionAsync(executionId, ct).ConfigureAwait(false)).Record?.State.Parent;
        }

        if (parent is null || IsLocal(parent))
        {
            return null;
        }

        var found = await remoteParents.ObtainAsync(parent, parameters, ct).ConfigureAwait(false);
        if (found is Federation.RemoteParent.Attested attested)
        {
            // Kept before the decision that may record it: a lineage export carries it (FORMAT §7.3); one kept for a
            // decision that then declines names nothing and is harmless.
            await node.Store.KeepAttestationAsync(attested.Execution.Digest, attested.Text, ct).ConfigureAwait(false);
        }

        return (parent, found);
    }

    /// <summary>
    /// For a governance claim syncing domains whose home is a configured peer: what can be proven of each such peer's
    /// governance now (DESIGN §8.2), obtained before the write lock is taken, one attestation per peer; empty when the claim
    /// names no such domain (or there is no claim).
    /// </summary>
    private async Task<IReadOnlyList<(string Peer, IReadOnlyList<string> Domains, Federation.RemoteGovernanceProof Found)>> RemoteGovernanceAsync(
        IReadOnlyList<Prepared> prepared, LedgerParameters parameters, CancellationToken ct)
    {
        if (prepared.Select(p => p.Event).OfType<GovernanceSynchronized>().FirstOrDefault() is not { } claim)
        {
            return [];
        }

        var found = new List<(string, IReadOnlyList<string>, Federation.RemoteGovernanceProof)>();
        foreach (var (peer, domains) in remoteGovernance.HomesOf(claim))
        {
            var proof = await remoteGovernance.ObtainAsync(peer, parameters, ct).ConfigureAwait(false);
            if (proof is Federation.RemoteGovernanceProof.Attested attested)
            {
                // Kept before the decision that may record it, as a remote parent's attestation is.
                await node.Store.KeepAttestationAsync(attested.Governance.Digest, attested.Text, ct).ConfigureAwait(false);
            }

            found.Add((peer.Origin, domains, proof));
        }

        return found;
    }

    /// <summary>
    /// The decision, under the write lock: each submitted event in order against the record (and the states it
    /// leads to), with the parent's record and the nearest ended ancestor as committed. A remote parent's verified
    /// attestation is appended (<c>federation.parent-attested.v1</c>) just before the intent or start it decides, and a
    /// peer's verified governance attestation (<c>federation.governance-attested.v1</c>) just before the claim it decides.
    /// </summary>
    private ExecutionVerdict Decide(
        ExecutionView view, IReadOnlyList<Prepared> prepared, LedgerParameters parameters, (ParentRef Parent, Federation.RemoteParent Found)? remote,
        Domain.Publications.GovernanceBook governance, IReadOnlyList<(string Peer, IReadOnlyList<string> Domains, Federation.RemoteGovernanceProof Found)> remoteGovernance)
    {
        var state = view.State;
        var accepted = new List<DecidedEvent>(prepared.Count + 1);
        foreach (var p in prepared)
        {
            var problem = default((Reason, string)?);
            if (remote is { } r && p.Event is IntentDeclared or ExecutionStarted && !state.IsTerminal)
            {
                switch (r.Found)
                {
                    case Federation.RemoteParent.Attested attested:
                        var proof = Federation.RemoteParents.EventOf(r.Parent, attested.Execution);
                        var version = checked(view.StreamVersion + accepted.Count + 1);
                        accepted.Add(LedgerEvents.Event(view.Execution, LedgerEvents.AttestedId(view.Execution, version), proof, p.Submission.Domain));
                        state = Execution.Evolve(state, proof, view.RecordedAt, p.Submission.Domain);
                        break;
                    case Federation.RemoteParent.Failed failed:
                        problem = (failed.Reason, failed.Detail);
                        break;
                }
            }

            var governanceProblem = default((Reason, string)?);
            if (p.Event is GovernanceSynchronized && state.Status == ExecutionStatus.Declared && remoteGovernance.Count > 0)
            {
                // Every peer proven, or none recorded: a claim that cannot be proven for one home fails closed as a whole.
                if (remoteGovernance.Select(g => g.Found).OfType<Federation.RemoteGovernanceProof.Failed>().FirstOrDefault() is { } failed)
                {
                    governanceProblem = (failed.Reason, failed.Detail);
                }
                else
                {
                    foreach (var (peer, domains, found) in remoteGovernance)
                    {
                        var evidence = GovernanceAttested.Of(peer, ((Federation.RemoteGovernanceProof.Attested)found).Governance, domains);
                        var version = checked(view.StreamVersion + accepted.Count + 1);
                        accepted.Add(LedgerEvents.Event(view.Execution, LedgerEvents.GovernanceAttestedId(view.Execution, version), evidence, p.Submission.Domain));
                        state = Execution.Evolve(state, evidence, view.RecordedAt, p.Submission.Domain);
                    }
                }
            }

            var context = Context(state, p.Event, view, parameters) with { RemoteParentProblem = problem, Governance = governance, RemoteGovernanceProblem = governanceProblem };
            switch (Execution.Decide(state, p.Submission, context))
            {
                case Decision.Accepted:
                    accepted.Add(new DecidedEvent(p.Proposed, p.Event));
                    state = Execution.Evolve(state, p.Event, view.RecordedAt, p.Submission.Domain);
                    break;
                case Decision.Conflict { Code: "execution-terminal" } conflict:
                    return new ExecutionVerdict.Decline(new AppendOutcome.Terminal(view.Execution.Value, state.Status.ToWireName(), conflict.Detail));
                case Decision.Conflict conflict:
                    return new ExecutionVerdict.Decline(new AppendOutcome.Conflict(conflict.Code, conflict.Detail));
                case Decision.Invalid invalid:
                    return new ExecutionVerdict.Decline(new AppendOutcome.Invalid(new Dictionary<string, string[]> { [invalid.Code] = [invalid.Detail] }));
                case Decision.Refused refused:
                    // Fail closed: the events accepted before the violation, then the ledger's denial or halt, in one
                    // atomic append, so that a replay of the log reaches the same decision.
                    var submission = p.Submission;
                    var ledgerEvents = refused.LedgerEvents
                        .Select((e, i) => LedgerEvents.Event(view.Execution, LedgerEvents.RefusalId(view.Execution, submission.EventId, i), e, submission.Domain));
                    return new ExecutionVerdict.Append(
                        [.. accepted, .. ledgerEvents],
                        new RefusalTag(refused.Reason, refused.Detail, new RejectedEvent(submission.EventId, submission.Type, submission.Digest), accepted.Count));
                default:
                    throw new InvalidOperationException("Unknown decision.");
            }
        }

        return new ExecutionVerdict.Append(accepted);
    }

    private DecisionContext Context(ExecutionState state, IExecutionEvent @event, ExecutionView view, LedgerParameters parameters)
    {
        var context = new DecisionContext(view.RecordedAt, parameters) { EndedAncestor = view.Lineage.EndedAncestor };
        var parentRef = (@event as IntentDeclared)?.Parent ?? state.Parent;
        if (parentRef is null)
        {
            return context;
        }

        if (!IsLocal(parentRef))
        {
            // The state a peer's attestation proved (the last federation.parent-attested.v1); none: refused lineage-broken.
            return (context with { ParentIsRemote = true }).WithAttestedParent(state, parentRef);
        }

        var parent = view.Lineage.Parent;
        return context with { Parent = parent is not null && parent.Id == parentRef.ExecutionId ? parent.State : null };
    }

    private bool IsLocal(ParentRef parent) => string.Equals(parent.Ledger, node.Origin, StringComparison.Ordinal);

    /// <summary>The registry versions a decision used: the append happens only if they still hold.</summary>
    internal static Dictionary<string, long> Guards(RegistrySnapshot snapshot) => new(StringComparer.Ordinal)
    {
        [LedgerParameters.StreamName] = snapshot.ParametersVersion,
        [Domain.Emitters.EmitterRegistry.StreamName] = snapshot.EmittersVersion,
    };

    /// <summary>Why an emitter's statement is not acceptably signed, or null (also for the publications of <c>$governance</c>).</summary>
    internal static AppendOutcome? CheckSignature(Domain.Emitters.EmitterEntry? entry, EmitterStatement statement, byte[] canonical, EmitterSignature? signature)
    {
        if (entry is null)
        {
            return new AppendOutcome.Forbidden($"Emitter '{statement.Emitter}' is not registered.");
        }

        if (signature is null)
        {
            return entry.SignaturesRequired ? new AppendOutcome.SignatureRequired(entry.Name) : null;
        }

        if (entry.PublicKey is null || !VerificationKey.TryParse(entry.PublicKey, out var key, out _))
        {
            return new AppendOutcome.BadSignature($"Event '{statement.EventId}' is signed, but emitter '{entry.Name}' has no registered public key.");
        }

        if (!string.Equals(signature.KeyId, key.KeyId, StringComparison.Ordinal) || !string.Equals(signature.Alg, key.Algorithm, StringComparison.Ordinal))
        {
            return new AppendOutcome.BadSignature(
                $"Event '{statement.EventId}' is signed with key '{signature.KeyId}' ({signature.Alg}); emitter '{entry.Name}' has key '{key.KeyId}' ({key.Algorithm}).");
        }

        byte[] value;
        try
        {
            value = signature.GetValueBytes();
        }
        catch (FormatException)
        {
            return new AppendOutcome.BadSignature($"The signature of event '{statement.EventId}' is not base64.");
        }

        return key.Verify(canonical, value)
            ? null
            : new AppendOutcome.BadSignature($"The signature of event '{statement.EventId}' does not verify with emitter '{entry.Name}'s key.");
    }

    /// <summary>
    /// The original 422 when this submission was refused before: its refusal names the refused event and its
    /// digest, and the events before it in the batch were appended with the refusal, with the same content.
    /// </summary>
    private async Task<AppendOutcome?> FindRefusalAsync(ExecutionId executionId, IReadOnlyList<Prepared> prepared, CancellationToken ct)
    {
        var acceptedBefore = new List<LedgerEntry>();
        foreach (var p in prepared)
        {
            var refusal = await node.Store.FindByEventIdAsync(LedgerEvents.RefusalId(executionId, p.Submission.EventId, 0), ct).ConfigureAwait(false);
            if (refusal is not null
                && ExecutionEventCodec.TryParse(refusal.Type, refusal.Data, out var e, out _)
                && e is ITermination { Rejected: { } rejected } termination
                && string.Equals(rejected.Digest, p.Submission.Digest, StringComparison.Ordinal))
            {
                return new AppendOutcome.Refused(termination.Reason, termination.Detail, rejected, acceptedBefore, [refusal]);
            }

            var earlier = await node.Store.FindByEventIdAsync(p.Submission.EventId, ct).ConfigureAwait(false);
            if (earlier is null || !string.Equals(earlier.Statement.Digest(), p.Submission.Digest, StringComparison.Ordinal))
            {
                return null;
            }

            acceptedBefore.Add(earlier);
        }

        return null;
    }

    private sealed record Prepared(ProposedEvent Proposed, IExecutionEvent Event, Submission Submission);
}
