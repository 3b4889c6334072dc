using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Emitters;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;
using Ledger.Domain.Parameters;
using Ledger.Store;

namespace Ledger.Projections.Tests.Workload;

/// <summary>
/// A generated multi-cloud workload appended straight to an <see cref="IEventStore"/>: root and nested
/// executions across domains, completions, denials and halts of every kind the rules produce, refusals
/// (fail closed), cascades to descendants, silence sweeps, checkpoints and lineage proofs. Every submission
/// goes through <see cref="Execution.Decide"/> exactly as the API does, so the log replays to the same
/// decisions. Deterministic for a seed (time is simulated). Not thread-safe.
/// </summary>
public sealed partial class Workload
{
    public const string Origin = "ledger.example/projections";

    private static readonly string[] Domains = ["aws.us-east-1", "aws.eu-west-1", "azure.westeurope", "gcp.europe-west1", "edge.factory-3", "partner.acme"];
    private readonly IEventStore _store;
    private readonly Random _random;
    private readonly Dictionary<string, Sim> _executions = new(StringComparer.Ordinal);
    private readonly List<Sim> _open = [];
    private readonly Queue<(Task<AppendResult> Task, Action<LedgerEntry>? OnAppended)> _pending = new();
    private readonly int _window;
    private LedgerParameters _parameters = LedgerParameters.Default;
    private DateTimeOffset _now = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private int _appended;
    private int _nextExecution;
    private bool _started;

    /// <param name="store">The store to append to.</param>
    /// <param name="seed">The seed of the simulation.</param>
    /// <param name="window">Appends in flight at once.</param>
    /// <param name="start">The recordedAt of the first entry (default 2025-03-01T08:00:00Z); a ledger that already has entries needs one after them.</param>
    public Workload(IEventStore store, int seed, int window = 256, DateTimeOffset? start = null)
    {
        _store = store;
        _random = new Random(seed);
        _window = window;
        _now = start ?? _now;
    }

    /// <summary>What the workload produced so far, by kind (e.g. <c>denied:governance-stale</c>, <c>cascade</c>, <c>child</c>).</summary>
    public Dictionary<string, int> Stats { get; } = new(StringComparer.Ordinal);

    /// <summary>Entries appended so far.</summary>
    public int Appended => _appended;

    /// <summary>The simulated clock (the recordedAt of the next entries).</summary>
    public DateTimeOffset Now => _now;

    /// <summary>The ledger's parameters as configured in <c>$ledger</c>.</summary>
    public LedgerParameters Parameters => _parameters;

    /// <summary>Moves the simulated clock forward (a quiet period: the next sweep halts and denies what went silent).</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        _now += by;
    }

    /// <summary>Appends about <paramref name="events"/> more entries (continuing the simulation) and waits for them.</summary>
    public async Task AppendAsync(int events)
    {
        if (!_started)
        {
            _started = true;
            Genesis();
        }

        var target = _appended + events;
        var step = 0;
        while (_appended < target)
        {
            Step();
            if (++step % 400 == 0)
            {
                Sweep();
            }
        }

        await FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Signs a checkpoint of the whole log and appends the proofs of every lineage tree it completes.</summary>
    public async Task<long> CheckpointAndProveAsync(NoteSigner signer)
    {
        await FlushAsync().ConfigureAwait(false);
        var size = await _store.GetTreeSizeAsync().ConfigureAwait(false);
        var root = await _store.GetRootAsync(size).ConfigureAwait(false);
        await _store.StoreCheckpointAsync(size, root, new Checkpoint(_store.Origin, size, root).Sign(signer).Format()).ConfigureAwait(false);
        foreach (var tree in _executions.Values.Where(s => s.TreeParent is null).GroupJoin(
                     _executions.Values, r => r.Id, s => s.Root, (r, members) => members.ToList()).ToList())
        {
            if (tree.Any(s => !s.State.IsTerminal) || tree.All(s => s.State.IsProven) || tree.Any(s => s.Events.Any(e => e.Position >= size)))
            {
                continue;
            }

            var digest = LineageDigest.Compute(tree.Select(s => new LineageNode(
                ExecutionId.Parse(s.Id), s.TreeParent is { } p ? ExecutionId.Parse(p) : null, [.. s.Events.Where(e => !e.IsProof).Select(e => new LineageEvent(e.Position, e.LeafHash))])));
            foreach (var sim in tree.Where(s => !s.State.IsProven).OrderBy(s => s.Events[0].Position))
            {
                var proof = new ProofPersisted(size, Convert.ToBase64String(root), [.. sim.Events.Where(e => !e.IsProof).Select(e => e.Position)], digest);
                Submit(sim, proof, "ledger-proof-" + sim.Id, sim.State.OriginDomain ?? sim.FirstDomain, "$ledger", byLedger: true);
                Count("proof");
            }
        }

        await FlushAsync().ConfigureAwait(false);
        return size;
    }

    private void Genesis()
    {
        AppendRaw(LedgerParameters.StreamName, "genesis-parameters", LedgerParametersCodec.Type, "$ledger", "$ledger",
            LedgerParametersCodec.ToData(new PolicyConfigured(TimeSpan.FromHours(24), TimeSpan.FromHours(24), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20))), null);
        _parameters = new LedgerParameters(TimeSpan.FromHours(24), TimeSpan.FromHours(24), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20));
        foreach (var group in Domains.GroupBy(CloudOf))
        {
            var registered = new EmitterRegistered("emitter-" + group.Key, [.. group], null, SignaturesRequired: false);
            AppendRaw(EmitterRegistry.StreamName, "register-" + group.Key, WireNames.Of<EmitterRegistered>(), "$emitters", "$ledger", EmitterEventCodec.ToData(registered), null);
        }

        AppendRaw(EmitterRegistry.StreamName, "register-auditor", WireNames.Of<EmitterRegistered>(), "$emitters", "$ledger",
            EmitterEventCodec.ToData(new EmitterRegistered("auditor", ["*"], null, false)), null);
        AppendRaw(EmitterRegistry.StreamName, "revoke-auditor", WireNames.Of<EmitterRevoked>(), "$emitters", "$ledger",
            EmitterEventCodec.ToData(new EmitterRevoked("auditor", "rotated")), null);
    }

    private static string CloudOf(string domain) => domain[..domain.IndexOf('.', StringComparison.Ordinal)];

    private static string EmitterOf(string domain) => "emitter-" + CloudOf(domain);

    /// <summary>Submits one event as the API would: decide, append the event or the ledger's refusal, cascade.</summary>
    private void Submit(Sim sim, IExecutionEvent @event, string eventId, string domain, string emitter, bool byLedger = false, JsonElement? metadata = null)
    {
        var stream = ExecutionId.StreamPrefix + sim.Id;
        var type = ExecutionEventCodec.TypeOf(@event);
        var data = ExecutionEventCodec.ToData(@event);
        var statement = new EmitterStatement(stream, eventId, type, domain, emitter, null, data, metadata);
        var parentRef = (@event as IntentDeclared)?.Parent ?? sim.State.Parent;
        var context = new DecisionContext(_now, _parameters);
        if (parentRef is not null)
        {
            context = parentRef.Ledger != Origin
                ? context with { ParentIsRemote = true }
                : context with { Parent = _executions.TryGetValue(parentRef.ExecutionId.Value, out var p) && p.State.Status != ExecutionStatus.None ? p.State : null };
        }

        var submission = Submission.For(@event, eventId, statement.Digest(), emitter, domain) with { ByLedger = byLedger };
        switch (Execution.Decide(sim.State, submission, context))
        {
            case Decision.Accepted:
                Append(sim, statement, @event);
                if (@event is ITermination)
                {
                    Count((@event is ExecutionDenied ? "denied:" : "halted:") + ((ITermination)@event).Reason.Code);
                    Cascade(sim);
                }

                break;
            case Decision.Refused refused:
                Count("refused:" + refused.Reason.Code);
                foreach (var (terminal, i) in refused.LedgerEvents.Select((e, i) => (e, i)))
                {
                    var ledgerStatement = new EmitterStatement(
                        stream, string.Create(CultureInfo.InvariantCulture, $"ledger-refusal-{eventId}-{i}"), ExecutionEventCodec.TypeOf(terminal), domain, "$ledger", null,
                        ExecutionEventCodec.ToData(terminal), null);
                    Append(sim, ledgerStatement, terminal);
                }

                Cascade(sim);
                break;
            default:
                Count("rejected-by-rules");
                break;
        }
    }

    private void Cascade(Sim ended)
    {
        var descendants = _executions.Values.Where(s => s.Root == ended.Root).Select(s => s.State).ToList();
        foreach (var append in Lineage.Cascade(descendants, ExecutionId.Parse(ended.Id)))
        {
            var sim = _executions[append.ExecutionId.Value];
            Submit(sim, append.Event, $"ledger-cascade-{ended.Id}-{sim.Id}", sim.State.OriginDomain ?? sim.FirstDomain, "$ledger", byLedger: true);
            Count("cascade");
        }
    }

    private void Sweep()
    {
        foreach (var append in SilenceSweep.Decide(_open.Select(s => s.State).ToList(), _now, _parameters))
        {
            var sim = _executions[append.ExecutionId.Value];
            if (sim.State.IsTerminal)
            {
                continue; // Ended by a cascade earlier in this sweep.
            }

            Submit(sim, append.Event, string.Create(CultureInfo.InvariantCulture, $"ledger-sweep-{sim.Id}-{sim.Version}"), sim.State.OriginDomain ?? sim.FirstDomain, "$ledger", byLedger: true);
            Count("sweep");
        }
    }

    private void Append(Sim sim, EmitterStatement statement, IExecutionEvent @event)
    {
        sim.State = Execution.Evolve(sim.State, @event, _now, statement.Domain);
        sim.Version++;
        if (sim.State.IsTerminal)
        {
            _open.Remove(sim);
        }

        var index = sim.Events.Count;
        sim.Events.Add(new Recorded(-1, [], @event is ProofPersisted));
        Enqueue(statement, entry => sim.Events[index] = sim.Events[index] with { Position = entry.Position, LeafHash = MerkleHash.HashLeaf(entry.ToCanonicalBytes()) });
    }

    private void AppendRaw(string stream, string eventId, string type, string domain, string emitter, JsonElement data, JsonElement? metadata) =>
        Enqueue(new EmitterStatement(stream, eventId, type, domain, emitter, null, data, metadata), null);

    private void Enqueue(EmitterStatement statement, Action<LedgerEntry>? onAppended)
    {
        // Appends are enqueued in call order (the store takes them synchronously), so the log keeps the simulation's order.
        _pending.Enqueue((_store.AppendAsync(new AppendRequest(statement.Stream, AppendRequest.AnyVersion, _now, [new ProposedEvent(statement, null)])), onAppended));
        _appended++;
        _now = _now.AddMilliseconds(_random.Next(100, 900));
        if (_pending.Count >= _window)
        {
            var (task, then) = _pending.Dequeue();
            Done(task.GetAwaiter().GetResult(), then);
        }
    }

    private async Task FlushAsync()
    {
        while (_pending.TryDequeue(out var pending))
        {
            Done(await pending.Task.ConfigureAwait(false), pending.OnAppended);
        }
    }

    private static void Done(AppendResult result, Action<LedgerEntry>? then)
    {
        if (result is not AppendResult.Appended appended)
        {
            throw new InvalidOperationException($"The workload's append was not appended: {result}");
        }

        then?.Invoke(appended.Entries[0]);
    }

    private void Count(string what) => Stats[what] = Stats.GetValueOrDefault(what) + 1;

    /// <summary>One simulated execution: its state, its fate and what it appended.</summary>
    private sealed class Sim(string id, string firstDomain, Fate fate, string? treeParent, string root, int depth)
    {
        public string Id { get; } = id;

        public string FirstDomain { get; } = firstDomain;

        public Fate Fate { get; } = fate;

        /// <summary>The parent within this ledger's tree (null for a root).</summary>
        public string? TreeParent { get; } = treeParent;

        public string Root { get; } = root;

        public int Depth { get; } = depth;

        public ExecutionState State { get; set; } = ExecutionState.Initial(ExecutionId.Parse(id));

        public int Version { get; set; }

        public int Verifications { get; set; }

        public int Children { get; set; }

        public List<Recorded> Events { get; } = [];
    }

    private sealed record Recorded(long Position, byte[] LeafHash, bool IsProof);
}
