using System.Globalization;
using Ledger.Api.Executions;
using Ledger.Api.Hosting;
using Ledger.Api.Registry;
using Ledger.Domain.Crypto;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Store;

namespace Ledger.Api.Append;

/// <summary>
/// The append path after authentication and shape validation: authorize per domain, verify signatures,
/// answer idempotent retries, run <see cref="Execution.Decide"/> against the stream and append, failing
/// closed on a rule violation (DESIGN §3, "How a submission is answered").
/// </summary>
public sealed partial class AppendService(
    LedgerNode node, LedgerRegistry registry, LedgerWriter writer, ExecutionStreams streams, CascadeService cascade)
{
    private const int MaxAttempts = 5;

    public async Task<AppendOutcome> AppendAsync(string emitter, ExecutionId executionId, SubmittedAppend request, CancellationToken ct)
    {
        var snapshot = await registry.GetAsync(ct).ConfigureAwait(false);
        var stream = executionId.StreamName;
        var prepared = new List<Prepared>(request.Events.Count);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < request.Events.Count; i++)
        {
            var e = request.Events[i];
            if (!snapshot.Emitters.CanSpeakFor(emitter, e.Domain))
            {
                return new AppendOutcome.Forbidden($"Emitter '{emitter}' may not append events for domain '{e.Domain}'.");
            }

            if (!ExecutionEventCodec.TryParse(e.Type, e.Data, out var typed, out var dataErrors))
            {
                errors[$"events[{i}].data"] = [.. dataErrors];
                continue;
            }

            if (typed is ProofPersisted)
            {
                return new AppendOutcome.Forbidden($"Only the ledger appends {e.Type}.");
            }

            var statement = new EmitterStatement(stream, e.EventId, e.Type, e.Domain, emitter, e.OccurredAt, e.Data, e.Metadata);
            if (CheckSignature(snapshot.Emitters.Find(emitter), statement, e.Signature) is { } signatureProblem)
            {
                return signatureProblem;
            }

            prepared.Add(new Prepared(statement, e.Signature, typed));
        }

        if (errors.Count > 0)
        {
            return new AppendOutcome.Invalid(errors);
        }

        if (await FindEarlierAsync(prepared, ct).ConfigureAwait(false) is { } earlier)
        {
            return earlier;
        }

        for (var attempt = 1; ; attempt++)
        {
            var outcome = await DecideAndAppendAsync(executionId, request.ExpectedVersion, prepared, snapshot, ct).ConfigureAwait(false);
            if (outcome is AppendOutcome.VersionConflict && request.ExpectedVersion == AppendRequest.AnyVersion && attempt < MaxAttempts)
            {
                continue; // A concurrent append moved the stream: decide again on its new state.
            }

            return outcome;
        }
    }

    private async Task<AppendOutcome> DecideAndAppendAsync(
        ExecutionId executionId, long expectedVersion, IReadOnlyList<Prepared> prepared, RegistrySnapshot snapshot, CancellationToken ct)
    {
        var (state, version) = await streams.LoadAsync(executionId, ct).ConfigureAwait(false);
        if (expectedVersion != AppendRequest.AnyVersion && expectedVersion != version)
        {
            return new AppendOutcome.VersionConflict(expectedVersion, version);
        }

        var recordedAt = writer.Now();
        var accepted = new List<ProposedEvent>(prepared.Count);
        foreach (var p in prepared)
        {
            var context = await ContextAsync(state, p.Event, recordedAt, snapshot, ct).ConfigureAwait(false);
            var submission = Submission.For(p.Event, p.Statement.EventId, p.Statement.Digest(), p.Statement.Emitter, p.Statement.Domain);
            switch (Execution.Decide(state, submission, context))
            {
                case Decision.Accepted:
                    accepted.Add(new ProposedEvent(p.Statement, p.Signature));
                    state = Execution.Evolve(state, p.Event, recordedAt, p.Statement.Domain);
                    break;
                case Decision.Conflict { Code: "execution-terminal" } conflict:
                    return new AppendOutcome.Terminal(executionId.Value, state.Status.ToWireName(), conflict.Detail);
                case Decision.Conflict conflict:
                    return new AppendOutcome.Conflict(conflict.Code, conflict.Detail);
                case Decision.Invalid invalid:
                    return new AppendOutcome.Invalid(new Dictionary<string, string[]> { [invalid.Code] = [invalid.Detail] });
                case Decision.Refused refused:
                    return await FailClosedAsync(executionId, version, recordedAt, accepted, refused, submission, ct).ConfigureAwait(false);
                default:
                    throw new InvalidOperationException("Unknown decision.");
            }
        }

        var result = await node.Store.AppendAsync(new AppendRequest(executionId.StreamName, version, recordedAt, accepted), ct).ConfigureAwait(false);
        switch (result)
        {
            case AppendResult.Appended appended:
                if (state.IsTerminal && state.Status != ExecutionStatus.Completed)
                {
                    await cascade.CascadeAsync(executionId, ct).ConfigureAwait(false);
                }

                return new AppendOutcome.Created(appended.Entries, Replayed: false);
            case AppendResult.Duplicate duplicate:
                return new AppendOutcome.Created(duplicate.Original, Replayed: true);
            case AppendResult.VersionConflict conflict:
                return new AppendOutcome.VersionConflict(expectedVersion == AppendRequest.AnyVersion ? conflict.Expected : expectedVersion, conflict.Actual);
            case AppendResult.EventIdConflict conflict:
                return new AppendOutcome.EventIdConflict(conflict.EventId);
            default:
                throw new InvalidOperationException("Unknown append result.");
        }
    }

    // Fail closed: the submitted events that passed before the violation, then the ledger's denial or halt,
    // in one atomic append, so that a replay of the log reaches the same decision. Event ids are unique across
    // the whole log, so the ledger's id names the execution as well as the refused submission: two executions
    // may each have a submission with the same id refused.
    private async Task<AppendOutcome> FailClosedAsync(
        ExecutionId executionId, long version, DateTimeOffset recordedAt, List<ProposedEvent> accepted,
        Decision.Refused refused, Submission submission, CancellationToken ct)
    {
        var rejected = new RejectedEvent(submission.EventId, submission.Type, submission.Digest);
        var ledgerEvents = refused.LedgerEvents
            .Select((e, i) => new ProposedEvent(
                new EmitterStatement(
                    executionId.StreamName,
                    string.Create(CultureInfo.InvariantCulture, $"ledger-refusal-{executionId.Value}-{submission.EventId}-{i}"),
                    ExecutionEventCodec.TypeOf(e),
                    submission.Domain,
                    LedgerNode.LedgerEmitter,
                    null,
                    ExecutionEventCodec.ToData(e),
                    null),
                null))
            .ToList();
        var result = await node.Store.AppendAsync(new AppendRequest(executionId.StreamName, version, recordedAt, [.. accepted, .. ledgerEvents]), ct)
            .ConfigureAwait(false);
        switch (result)
        {
            case AppendResult.Appended or AppendResult.Duplicate:
                var entries = result is AppendResult.Appended a ? a.Entries : ((AppendResult.Duplicate)result).Original;
                await cascade.CascadeAsync(executionId, ct).ConfigureAwait(false);
                return new AppendOutcome.Refused(refused.Reason, refused.Detail, rejected, [.. entries.Take(accepted.Count)], [.. entries.Skip(accepted.Count)]);
            case AppendResult.VersionConflict conflict:
                return new AppendOutcome.VersionConflict(version, conflict.Actual);
            case AppendResult.EventIdConflict conflict:
                return new AppendOutcome.EventIdConflict(conflict.EventId);
            default:
                throw new InvalidOperationException("Unknown append result.");
        }
    }

    private async Task<DecisionContext> ContextAsync(
        ExecutionState state, IExecutionEvent @event, DateTimeOffset recordedAt, RegistrySnapshot snapshot, CancellationToken ct)
    {
        var parentRef = (@event as IntentDeclared)?.Parent ?? state.Parent;
        var context = new DecisionContext(recordedAt, snapshot.Parameters);
        if (parentRef is null)
        {
            return context;
        }

        if (!string.Equals(parentRef.Ledger, node.Origin, StringComparison.Ordinal))
        {
            return context with { ParentIsRemote = true };
        }

        var (parent, parentVersion) = await streams.LoadAsync(parentRef.ExecutionId, ct).ConfigureAwait(false);
        return context with { Parent = parentVersion == 0 ? null : parent };
    }

    private static AppendOutcome? CheckSignature(Domain.Emitters.EmitterEntry? entry, EmitterStatement statement, EmitterSignature? signature)
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

        return key.Verify(statement.ToCanonicalBytes(), value)
            ? null
            : new AppendOutcome.BadSignature($"The signature of event '{statement.EventId}' does not verify with emitter '{entry.Name}'s key.");
    }

    // Idempotency: a retry of an append that landed returns what it returned; a reused id with other content is a conflict.
    private async Task<AppendOutcome?> FindEarlierAsync(IReadOnlyList<Prepared> prepared, CancellationToken ct)
    {
        var found = new List<LedgerEntry>();
        foreach (var p in prepared)
        {
            var earlier = await node.Store.FindByEventIdAsync(p.Statement.EventId, ct).ConfigureAwait(false);
            if (earlier is null)
            {
                continue;
            }

            if (!string.Equals(earlier.Statement.Digest(), p.Statement.Digest(), StringComparison.Ordinal))
            {
                return new AppendOutcome.EventIdConflict(p.Statement.EventId);
            }

            found.Add(earlier);
        }

        return found.Count switch
        {
            0 => null,
            _ when found.Count == prepared.Count => new AppendOutcome.Created(found, Replayed: true),
            _ => new AppendOutcome.EventIdConflict(found[0].EventId),
        };
    }

    private sealed record Prepared(EmitterStatement Statement, EmitterSignature? Signature, IExecutionEvent Event);
}
