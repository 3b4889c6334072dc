using Ledger.Domain.Bundles;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Domain.Parameters;

namespace Ledger.Verifier;

/// <summary>
/// Replays the governed-execution lifecycle over the bundle's entries in log order with the same code the server
/// runs (<see cref="Execution.Decide"/>, <see cref="Execution.Evolve"/>, <see cref="Lineage.Cascade"/>,
/// <see cref="SilenceSweep.Decide"/>), and reports every event the ledger should have refused, every event it
/// appended without cause, and every descendant it should have ended and did not.
/// </summary>
/// <remarks>
/// <para>Each entry is judged as a submission at its own <c>recordedAt</c>, with the parameters in force at its
/// position; entries whose emitter is <see cref="BundleFormat.LedgerEmitter"/> are judged as the ledger's own
/// (justified refusals, cascades, sweeps, proofs). Whatever the verdict, the recorded event is folded in, so that later
/// entries are judged against the log as it is.</para>
/// <para>Memory beyond <see cref="StreamBook"/>: the child lists of executions with live children, the full state of
/// ended executions that still have live children, and the pending cascade obligations. Not thread-safe.</para>
/// </remarks>
internal sealed class LifecycleReplay
{
    private readonly string _origin;
    private readonly bool _absentParentIsMissing;
    private readonly StreamBook _streams;
    private readonly FindingLog _log;
    private readonly Dictionary<string, List<ExecutionId>> _children = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExecutionState> _retained = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Obligation> _obligations = new(StringComparer.Ordinal);

    public LifecycleReplay(string origin, bool absentParentIsMissing, StreamBook streams, FindingLog log)
    {
        _origin = origin;
        _absentParentIsMissing = absentParentIsMissing;
        _streams = streams;
        _log = log;
    }

    public LedgerParameters Parameters { get; set; } = LedgerParameters.Default;

    /// <summary>The <c>$governance</c> stream folded up to the entry being replayed (DESIGN §8.2).</summary>
    public Domain.Publications.GovernanceBook Governance { get; set; } = Domain.Publications.GovernanceBook.Empty;

    public long EventsReplayed { get; private set; }

    public long EventsNotReplayed { get; private set; }

    public long ExecutionsReplayed { get; private set; }

    public long LineageNotChecked { get; private set; }

    public DateTimeOffset? LastRecordedAt { get; private set; }

    /// <summary>Every ledger-authored <c>federation.parent-attested.v1</c> seen, for the cross-ledger checks
    /// (<see cref="FederationAudit"/>). One per decision that depended on a remote parent.</summary>
    public List<AttestedParentClaim> ParentAttestations { get; } = [];

    /// <summary>Every ledger-authored <c>federation.governance-attested.v1</c> seen, for the cross-ledger checks.</summary>
    public List<AttestedGovernanceClaim> GovernanceAttestations { get; } = [];

    /// <summary>The origins with a valid <c>federation.split-view-detected.v1</c> in the bundle, with its position.</summary>
    public Dictionary<string, long> SplitViews { get; } = new(StringComparer.Ordinal);

    /// <summary>The text of the attestation record right before the next entry (lineage bundles), taken by its claim.</summary>
    public string? NextAttestation { get; set; }

    /// <summary>
    /// A <c>peer-split-view</c> end rests on a <c>federation.split-view-detected.v1</c> of the parent's ledger recorded before
    /// it (FORMAT §10.5). A bundle that holds the whole log from position 0 must hold it; any other bundle may not hold the
    /// <c>$federation</c> stream, and the end is then reported as not checked.
    /// </summary>
    private void CheckSplitViewEvidence(ExecutionId id, ParentRef parent, long position)
    {
        if (SplitViews.TryGetValue(parent.Ledger, out var at) && at < position)
        {
            SplitViewEndsChecked++;
            return;
        }

        if (_absentParentIsMissing)
        {
            _log.Fail("federation.split-view-unproven", position, null,
                $"execution '{id}' was ended peer-split-view, but no split-view record of its parent's ledger '{parent.Ledger}' comes before the end",
                new EvidenceBuilder().Add("parent ledger", parent.Ledger).Add("parent", parent.ExecutionId.Value));
            return;
        }

        _log.Warn("federation.split-view-not-checked", position, null,
            $"execution '{id}' was ended peer-split-view; this bundle does not hold the $federation stream before it, so its evidence against '{parent.Ledger}' is not checked");
    }

    /// <summary>The <c>peer-split-view</c> ends whose split-view record the bundle holds before them.</summary>
    public long SplitViewEndsChecked { get; private set; }

    /// <summary>Judges and folds one entry of an execution stream.</summary>
    public void Apply(LedgerEntry entry, IExecutionEvent? @event, IReadOnlyList<string>? eventErrors, long position, StreamView view)
    {
        var attestationText = NextAttestation;
        NextAttestation = null;
        LastRecordedAt = LastRecordedAt is { } last && last > entry.RecordedAt ? last : entry.RecordedAt;
        if (@event is null)
        {
            _log.Fail("lifecycle.malformed-event", position, null,
                $"the {entry.Type} event's data is not valid; the ledger should have refused it (400) and appended nothing",
                new EvidenceBuilder().Add("errors", string.Join("; ", eventErrors ?? [])));
            EventsNotReplayed++;
            return;
        }

        if (!ExecutionId.TryFromStreamName(entry.Stream, out var id))
        {
            _log.Fail("lifecycle.invalid-stream", position, null,
                $"'{entry.Stream}' is not execution- followed by a valid execution id; the ledger should have refused it");
            EventsNotReplayed++;
            return;
        }

        if (view.Sealed || (view.Open is { } o && !o.Replayable))
        {
            EventsNotReplayed++;
            return;
        }

        var state = view.Open?.State
                    ?? (view.Closed is { } c ? EndedState(id, c.Status, proven: false) : null)
                    ?? ExecutionState.Initial(id);
        if (view.IsNew)
        {
            ExecutionsReplayed++;
        }

        CheckObligation(id, entry, @event, position);
        var byLedger = string.Equals(entry.Emitter, BundleFormat.LedgerEmitter, StringComparison.Ordinal);
        if (byLedger && @event is ParentAttested attested)
        {
            ParentAttestations.Add(new AttestedParentClaim(_origin, position, _log.Line, id, entry.RecordedAt, attested)
            {
                AttestationText = attestationText,
                MaxPeerSilence = Parameters.MaxPeerSilence,
            });
        }

        if (byLedger && @event is GovernanceAttested governance)
        {
            GovernanceAttestations.Add(new AttestedGovernanceClaim(_origin, position, _log.Line, id, entry.RecordedAt, governance)
            {
                AttestationText = attestationText,
                MaxPeerSilence = Parameters.MaxPeerSilence,
            });
        }

        var submission = new Submission(@event, entry.EventId, entry.Type, DigestPlaceholder, entry.Emitter, entry.Domain) { ByLedger = byLedger };
        var parentRef = (@event as IntentDeclared)?.Parent ?? state.Parent;
        var (parent, remote, lineageUnchecked) = ResolveParent(parentRef);
        var context = new DecisionContext(entry.RecordedAt, Parameters) { Parent = parent, ParentIsRemote = remote, LineageUnchecked = lineageUnchecked, Governance = Governance };
        if (remote)
        {
            // A parent on another ledger is decided against the state its attestation proved (federation.parent-attested.v1).
            context = context.WithAttestedParent(state, parentRef);
        }
        ExecutionState next;
        try
        {
            Judge(Execution.Decide(state, submission, context), entry, byLedger, position);
            if (byLedger && remote && @event is ITermination { Reason: var reason } && reason == Reason.PeerSplitView && parentRef is { } peerParent)
            {
                CheckSplitViewEvidence(id, peerParent, position);
            }

            next = Execution.Evolve(state, @event, entry.RecordedAt, entry.Domain);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            _log.Fail("lifecycle.replay-stopped", position, null,
                $"the history of execution '{id}' cannot be replayed past this {entry.Type}: {e.Message}; its later events are not judged");
            if (view.Open is { } stuck)
            {
                stuck.Replayable = false;
            }

            EventsNotReplayed++;
            return;
        }

        EventsReplayed++;
        if (@event is IntentDeclared { Parent: { } p } && !remote && !lineageUnchecked && parent is { IsTerminal: false })
        {
            AddChild(p.ExecutionId, id);
        }

        if (next.IsTerminal && !state.IsTerminal)
        {
            Ended(next, position);
        }

        _streams.Store(view, next);
    }

    /// <summary>Warnings for what was still owed at the end of the bundle: cascades not yet appended, sweeps not yet run.</summary>
    public void Finish(long line)
    {
        _log.Line = line;
        foreach (var (child, obligation) in _obligations.OrderBy(o => o.Value.Position))
        {
            _log.Warn("lifecycle.cascade-pending", null, null,
                FormattableString.Invariant($"execution '{child}' is not yet ended although its ancestor '{obligation.Ancestor}' ended at position {obligation.Position}; the ledger owes it a {obligation.Expected} (parent-halted)"),
                new EvidenceBuilder().Add("ancestor ended at position", obligation.Position));
        }

        if (LastRecordedAt is not { } now)
        {
            return;
        }

        foreach (var state in _streams.OpenExecutions)
        {
            IReadOnlyList<LedgerAppend> owed;
            try
            {
                owed = SilenceSweep.Decide([state], now, Parameters);
            }
            catch (InvalidOperationException)
            {
                // A history the replay already reported as broken (e.g. running without an authorization).
                continue;
            }

            foreach (var append in owed)
            {
                var terminal = (ITermination)append.Event;
                _log.Warn("lifecycle.sweep-pending", null, null,
                    $"execution '{append.ExecutionId}' was overdue at the bundle's last recorded time {now.UtcDateTime:O} and had not been ended: the ledger's sweep owes it a {ExecutionEventCodec.TypeOf(append.Event)} ({terminal.Reason.Code})",
                    new EvidenceBuilder().Add("detail", terminal.Detail));
            }
        }
    }

    private const string DigestPlaceholder = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    private static ExecutionState EndedState(ExecutionId id, ExecutionStatus status, bool proven) =>
        ExecutionState.Initial(id) with { Status = status, IsProven = proven };

    private void Judge(Decision decision, LedgerEntry entry, bool byLedger, long position)
    {
        switch (decision)
        {
            case Decision.Accepted:
                return;
            case Decision.Refused refused:
                var terminal = refused.LedgerEvents.Count > 0 ? refused.LedgerEvents[0] : null;
                _log.Fail("lifecycle.should-have-refused", position, null,
                    $"the ledger recorded {entry.Type} but should have refused it ({refused.Reason.Code}: {refused.Detail}) and appended {(terminal is null ? "a denial or halt" : ExecutionEventCodec.TypeOf(terminal))} instead",
                    new EvidenceBuilder()
                        .Add("expected", (terminal is null ? "refusal" : ExecutionEventCodec.TypeOf(terminal)) + " reason " + refused.Reason.Code)
                        .Add("recorded", entry.Type)
                        .Add("rejected event digest", entry.Statement.Digest()));
                return;
            case Decision.Conflict conflict:
                _log.Fail(byLedger ? "lifecycle.unjustified-ledger-event" : "lifecycle.should-have-rejected", position, null,
                    $"the ledger recorded {entry.Type} but the execution's history does not admit it ({conflict.Code}: {conflict.Detail}); nothing should have been appended",
                    new EvidenceBuilder().Add("expected", "nothing appended (" + conflict.Code + ")").Add("recorded", entry.Type));
                return;
            case Decision.Invalid invalid:
                _log.Fail(byLedger ? "lifecycle.unjustified-ledger-event" : "lifecycle.should-have-rejected", position, null,
                    $"the ledger recorded {entry.Type} but it is not a valid submission here ({invalid.Code}: {invalid.Detail}); nothing should have been appended",
                    new EvidenceBuilder().Add("expected", "nothing appended (" + invalid.Code + ")").Add("recorded", entry.Type));
                return;
            default:
                throw new InvalidOperationException("Unknown decision " + decision.GetType().Name + ".");
        }
    }

    /// <summary>The parent's state; whether it is on another ledger; whether this bundle cannot tell (its entries are not here).</summary>
    private (ExecutionState? Parent, bool Remote, bool Unchecked) ResolveParent(ParentRef? parent)
    {
        if (parent is null)
        {
            return (null, false, false);
        }

        if (!string.Equals(parent.Ledger, _origin, StringComparison.Ordinal))
        {
            return (null, true, false);
        }

        var id = parent.ExecutionId;
        if (_streams.FindOpen(id.StreamName) is { } open)
        {
            if (open.State is { } state)
            {
                return (state, false, false);
            }

            LineageNotChecked++;
            return (null, false, true);
        }

        if (_retained.TryGetValue(id.Value, out var retained))
        {
            return (retained, false, false);
        }

        if (_streams.FindEnded(id.StreamName) is { } ended)
        {
            return (EndedState(id, ended.Status, ended.Proven), false, false);
        }

        if (_absentParentIsMissing)
        {
            return (null, false, false);
        }

        LineageNotChecked++;
        return (null, false, true);
    }

    private void CheckObligation(ExecutionId id, LedgerEntry entry, IExecutionEvent @event, long position)
    {
        if (!_obligations.Remove(id.Value, out var obligation) || @event is ITermination)
        {
            return;
        }

        _log.Fail("lifecycle.cascade-missing", position, null,
            FormattableString.Invariant($"execution '{id}' should have been ended by the ledger ({obligation.Expected}, parent-halted) after its ancestor '{obligation.Ancestor}' ended at position {obligation.Position}; instead {entry.Type} was recorded"),
            new EvidenceBuilder()
                .Add("expected", obligation.Expected + " reason parent-halted")
                .Add("recorded", entry.Type)
                .Add("ancestor ended at position", obligation.Position));
    }

    private void AddChild(ExecutionId parent, ExecutionId child)
    {
        if (!_children.TryGetValue(parent.Value, out var list))
        {
            list = [];
            _children.Add(parent.Value, list);
        }

        list.Add(child);
    }

    /// <summary>An execution just ended: owe cascades to its live descendants, keep its state while it has some.</summary>
    private void Ended(ExecutionState ended, long position)
    {
        var key = ended.Id.Value;
        if (_children.ContainsKey(key))
        {
            _retained[key] = ended;
            if (ended.Status is ExecutionStatus.Denied or ExecutionStatus.Halted)
            {
                foreach (var owed in Lineage.Cascade(Descendants(ended.Id), ended.Id))
                {
                    _obligations[owed.ExecutionId.Value] = new Obligation(key, position, ExecutionEventCodec.TypeOf(owed.Event));
                }
            }

            return;
        }

        // A leaf of the lineage: forget it, and any ended ancestor left without live children.
        var current = ended;
        while (current.Parent is { } p && string.Equals(p.Ledger, _origin, StringComparison.Ordinal)
               && _children.TryGetValue(p.ExecutionId.Value, out var siblings))
        {
            siblings.Remove(current.Id);
            if (siblings.Count > 0 || !_retained.Remove(p.ExecutionId.Value, out var parent))
            {
                return;
            }

            _children.Remove(p.ExecutionId.Value);
            current = parent;
        }
    }

    /// <summary>The states of every execution below <paramref name="root"/> in the child lists, ended ones included.</summary>
    private List<ExecutionState> Descendants(ExecutionId root)
    {
        var found = new List<ExecutionState>();
        var queue = new Queue<ExecutionId>();
        queue.Enqueue(root);
        while (queue.TryDequeue(out var current))
        {
            if (!_children.TryGetValue(current.Value, out var kids))
            {
                continue;
            }

            foreach (var kid in kids)
            {
                var state = _streams.FindOpen(kid.StreamName)?.State
                            ?? _retained.GetValueOrDefault(kid.Value)
                            ?? (_streams.FindEnded(kid.StreamName) is { } e ? EndedState(kid, e.Status, e.Proven) : null);
                if (state is not null)
                {
                    found.Add(state.Parent is null ? state with { Parent = new ParentRef(_origin, current) } : state);
                    queue.Enqueue(kid);
                }
            }
        }

        return found;
    }

    private sealed record Obligation(string Ancestor, long Position, string Expected);
}
