using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Ledger.Domain.Bundles;
using Ledger.Domain.Crypto;
using Ledger.Domain.Emitters;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;
using Ledger.Domain.Parameters;

namespace Ledger.Verifier.Tests.Building;

/// <summary>
/// A ledger simulated in memory with the real Domain code, as the server runs it: submissions go through
/// <see cref="Execution.Decide"/> (refusals append the ledger's denial or halt), terminations cascade with
/// <see cref="Lineage.Cascade"/>, the sweep uses <see cref="SilenceSweep"/>, entries are real canonical
/// <see cref="LedgerEntry"/> bytes in a <see cref="MerkleTree"/>, checkpoints are signed notes. It is also the
/// <see cref="IBundleSource"/> that <see cref="BundleExport"/> reads, so tests and the bench export through the
/// same code as the API.
/// </summary>
internal sealed partial class TestLog : IBundleSource, IDisposable
{
    private readonly MerkleTree _tree = new();
    private readonly List<byte[]> _entries = [];
    private readonly FileStream? _spool;
    private readonly List<long> _offsets = [];
    private readonly Dictionary<string, (long Version, byte[] Last, List<long> Positions)> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<ExecutionId, ExecutionState> _states = [];
    private readonly Dictionary<ExecutionId, List<ExecutionId>> _children = [];
    private readonly List<BundleSourceCheckpoint> _checkpoints = [];
    private readonly bool _ownsSigner;
    private readonly LineageForest _lineage;
    private long _nextEventId;

    public TestLog(string origin = "ledger.example/test", NoteSigner? signer = null, string? spoolPath = null)
    {
        Origin = origin;
        _lineage = new LineageForest(origin);
        _ownsSigner = signer is null;
        Signer = signer ?? NoteSigner.Create("ledger.example", SigningKey.GenerateEcdsaP256());
        if (spoolPath is not null)
        {
            _spool = new FileStream(spoolPath, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 20, FileOptions.DeleteOnClose);
        }
    }

    public string Origin { get; }

    public NoteSigner Signer { get; }

    /// <summary>The ledger's checkpoint key as an auditor passes it to <c>--trust</c>.</summary>
    public string VerifierKey => Signer.Verifier.VerifierKey;

    public long Size => _tree.Size;

    public LedgerParameters Parameters { get; private set; } = LedgerParameters.Default;

    public EmitterRegistry Registry { get; private set; } = EmitterRegistry.Empty;

    public IReadOnlyDictionary<ExecutionId, ExecutionState> Executions => _states;

    public IReadOnlyList<BundleSourceCheckpoint> SignedCheckpoints => _checkpoints;

    /// <summary>When false, ended executions that are not parents are forgotten (the bench's long logs).</summary>
    public bool KeepEndedStates { get; init; } = true;

    public LedgerEntry Configure(LedgerParameters parameters, DateTimeOffset at)
    {
        var entry = Append(LedgerParameters.StreamName, LedgerParametersCodec.Type, "ledger", BundleFormat.LedgerEmitter,
            LedgerParametersCodec.ToData(PolicyConfigured.From(parameters)), at, null);
        Parameters = parameters;
        return entry;
    }

    public LedgerEntry Register(TestEmitter emitter, IReadOnlyList<string> domains, bool signaturesRequired, DateTimeOffset at)
    {
        var registered = new EmitterRegistered(emitter.Name, domains, emitter.Key?.VerificationKey.Text, signaturesRequired);
        var entry = Append(EmitterRegistry.StreamName, WireNames.Of<EmitterRegistered>(), "ledger", BundleFormat.LedgerEmitter,
            EmitterEventCodec.ToData(registered), at, null);
        Registry = EmitterRegistry.Evolve(Registry, registered);
        return entry;
    }

    public LedgerEntry Revoke(string name, string reason, DateTimeOffset at)
    {
        var revoked = new EmitterRevoked(name, reason);
        var entry = Append(EmitterRegistry.StreamName, WireNames.Of<EmitterRevoked>(), "ledger", BundleFormat.LedgerEmitter,
            EmitterEventCodec.ToData(revoked), at, null);
        Registry = EmitterRegistry.Evolve(Registry, revoked);
        return entry;
    }

    /// <summary>Submits an emitter's event as the server would: authority, Decide, append or refuse, cascade.</summary>
    public Decision Submit(TestEmitter emitter, string domain, ExecutionId id, IExecutionEvent @event, DateTimeOffset at)
    {
        if (!Registry.CanSpeakFor(emitter.Name, domain))
        {
            return new Decision.Invalid("emitter-not-authorized", $"{emitter.Name} may not speak for {domain}");
        }

        var state = _states.GetValueOrDefault(id) ?? ExecutionState.Initial(id);
        var type = ExecutionEventCodec.TypeOf(@event);
        var eventId = NextEventId();
        var statement = new EmitterStatement(id.StreamName, eventId, type, domain, emitter.Name, Rfc3339Text(at), ExecutionEventCodec.ToData(@event), null);
        var submission = new Submission(@event, eventId, type, statement.Digest(), emitter.Name, domain);
        var decision = Execution.Decide(state, submission, Context(state, @event, at));
        switch (decision)
        {
            case Decision.Accepted:
                AppendStatement(statement, Sign(statement, emitter.Key), at);
                Apply(id, @event, at, domain);
                break;
            case Decision.Refused refused:
                foreach (var ledgerEvent in refused.LedgerEvents)
                {
                    AppendByLedger(id, ledgerEvent, at, domain);
                }

                break;
            default:
                break;
        }

        return decision;
    }

    /// <summary>The ledger's silence sweep at <paramref name="at"/>, with cascades.</summary>
    public int Sweep(DateTimeOffset at)
    {
        var owed = SilenceSweep.Decide(_states.Values.Where(s => !s.IsTerminal).ToList(), at, Parameters);
        foreach (var append in owed)
        {
            var state = _states[append.ExecutionId];
            if (!state.IsTerminal)
            {
                AppendByLedger(append.ExecutionId, append.Event, at, state.OriginDomain ?? "ledger");
            }
        }

        return owed.Count;
    }

    /// <summary>
    /// Appends the ledger's proof-persisted for an ended execution against the latest checkpoint, with the lineage digest
    /// of its tree as it stands (<see cref="LineageForest"/>); <paramref name="alter"/> lets a test make the ledger lie.
    /// </summary>
    public Decision PersistProof(ExecutionId id, DateTimeOffset at, Func<ProofPersisted, ProofPersisted>? alter = null)
    {
        var state = _states[id];
        var checkpoint = _checkpoints[^1];
        var root = Convert.ToBase64String(_tree.Root(checkpoint.Size));
        var member = _lineage.Find(id) ?? throw new InvalidOperationException($"Execution '{id}' has no event.");
        var proof = new ProofPersisted(checkpoint.Size, root, [.. member.Positions], member.Tree.Digest());
        proof = alter?.Invoke(proof) ?? proof;
        var submission = new Submission(proof, NextEventId(), ExecutionEventCodec.TypeOf(proof), "sha256:" + new string('0', 64), BundleFormat.LedgerEmitter, state.OriginDomain!) { ByLedger = true };
        var decision = Execution.Decide(state, submission, Context(state, proof, at));
        if (decision is Decision.Accepted)
        {
            AppendByLedger(id, proof, at, state.OriginDomain!);
            if (member.Tree.IsProven)
            {
                _lineage.Forget(member.Tree);
            }
        }

        return decision;
    }

    /// <summary>Appends an execution event without asking Decide (a ledger that breaks its own rules), folding it in.</summary>
    public LedgerEntry AppendUnchecked(TestEmitter emitter, string domain, ExecutionId id, IExecutionEvent @event, DateTimeOffset at)
    {
        var statement = new EmitterStatement(id.StreamName, NextEventId(), ExecutionEventCodec.TypeOf(@event), domain, emitter.Name, Rfc3339Text(at), ExecutionEventCodec.ToData(@event), null);
        var entry = AppendStatement(statement, Sign(statement, emitter.Key), at);
        Apply(id, @event, at, domain, cascade: false);
        return entry;
    }

    /// <summary>Appends any statement to any stream, unchecked.</summary>
    public LedgerEntry AppendRaw(string stream, string type, string domain, string emitter, JsonElement data, DateTimeOffset at, SigningKey? key = null) =>
        Append(stream, type, domain, emitter, data, at, key);

    /// <summary>Signs a checkpoint of the current tree and keeps it.</summary>
    public string Checkpoint()
    {
        var note = new Checkpoint(Origin, Size, _tree.Root()).Sign(Signer).Format();
        if (_checkpoints.Count == 0 || _checkpoints[^1].Size != Size)
        {
            _checkpoints.Add(new BundleSourceCheckpoint(Size, note));
        }

        return note;
    }

    public byte[] Entry(long position) => _spool is null ? _entries[(int)position] : ReadSpooled(position);

    public byte[] LeafHash(long position) => _tree.LeafHash(position);

    public IReadOnlyList<long> PositionsOf(string stream) => _streams.TryGetValue(stream, out var s) ? s.Positions : [];

    public void Dispose()
    {
        _spool?.Dispose();
        if (_ownsSigner)
        {
            Signer.Dispose();
        }
    }

    private static string Rfc3339Text(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static EmitterSignature? Sign(EmitterStatement statement, SigningKey? key) =>
        key is null ? null : new EmitterSignature(key.Algorithm, key.VerificationKey.KeyId, Convert.ToBase64String(key.Sign(statement.ToCanonicalBytes())));

    private string NextEventId() => "evt-" + (++_nextEventId).ToString(CultureInfo.InvariantCulture);

    private DecisionContext Context(ExecutionState state, IExecutionEvent @event, DateTimeOffset at)
    {
        var parent = (@event as IntentDeclared)?.Parent ?? state.Parent;
        var remote = parent is not null && parent.Ledger != Origin;
        var parentState = parent is not null && !remote ? _states.GetValueOrDefault(parent.ExecutionId) : null;
        var context = new DecisionContext(at, Parameters) { Parent = parentState, ParentIsRemote = remote, Governance = Governance };
        return remote ? context.WithAttestedParent(state, parent) : context;
    }

    /// <summary>Appends an event as the ledger (a federation record, a follow job's end), folding it in; the replay judges it.</summary>
    public LedgerEntry AppendLedgerEvent(ExecutionId id, IExecutionEvent @event, DateTimeOffset at, string domain)
    {
        AppendByLedger(id, @event, at, domain);
        return LedgerEntry.Parse(Entry(Size - 1));
    }

    private void AppendByLedger(ExecutionId id, IExecutionEvent @event, DateTimeOffset at, string domain, bool cascade = true)
    {
        var statement = new EmitterStatement(id.StreamName, NextEventId(), ExecutionEventCodec.TypeOf(@event), domain, BundleFormat.LedgerEmitter, null, ExecutionEventCodec.ToData(@event), null);
        AppendStatement(statement, null, at);
        Apply(id, @event, at, domain, cascade);
    }

    private void Apply(ExecutionId id, IExecutionEvent @event, DateTimeOffset at, string domain, bool cascade = true)
    {
        var before = _states.GetValueOrDefault(id) ?? ExecutionState.Initial(id);
        var after = Execution.Evolve(before, @event, at, domain);
        _states[id] = after;
        if (@event is IntentDeclared { Parent: { } p } && p.Ledger == Origin)
        {
            if (!_children.TryGetValue(p.ExecutionId, out var list))
            {
                _children[p.ExecutionId] = list = [];
            }

            list.Add(id);
        }

        if (cascade && after.Status is ExecutionStatus.Denied or ExecutionStatus.Halted && !before.IsTerminal && _children.ContainsKey(id))
        {
            // One cascade covers the whole tree, parents before children.
            foreach (var owed in Lineage.Cascade(Descendants(id), id))
            {
                var child = _states[owed.ExecutionId];
                AppendByLedger(owed.ExecutionId, owed.Event, at, child.OriginDomain ?? domain, cascade: false);
            }
        }

        if (!KeepEndedStates && after.IsTerminal && !_children.ContainsKey(id) && after.IsProven)
        {
            _states.Remove(id);
        }
    }

    private List<ExecutionState> Descendants(ExecutionId root)
    {
        var found = new List<ExecutionState>();
        var queue = new Queue<ExecutionId>([root]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var kid in _children.GetValueOrDefault(current) ?? [])
            {
                found.Add(_states[kid]);
                queue.Enqueue(kid);
            }
        }

        return found;
    }

    private LedgerEntry Append(string stream, string type, string domain, string emitter, JsonElement data, DateTimeOffset at, SigningKey? key)
    {
        var statement = new EmitterStatement(stream, NextEventId(), type, domain, emitter, null, data, null);
        return AppendStatement(statement, Sign(statement, key), at);
    }

    private LedgerEntry AppendStatement(EmitterStatement statement, EmitterSignature? signature, DateTimeOffset at)
    {
        var known = _streams.TryGetValue(statement.Stream, out var chain);
        var version = known ? chain.Version + 1 : 1;
        var entry = new LedgerEntry(Origin, Size, at, version, statement, signature, known ? chain.Last : null);
        var bytes = entry.ToCanonicalBytes();
        var position = Size;
        var leaf = _tree.AppendEntry(bytes);
        _lineage.Add(entry, leaf);
        if (_spool is null)
        {
            _entries.Add(bytes);
        }
        else
        {
            _offsets.Add(_spool.Position);
            _spool.Write(bytes);
            _spool.WriteByte((byte)'\n');
        }

        var positions = known ? chain.Positions : [];
        positions.Add(position);
        _streams[statement.Stream] = (version, leaf, positions);
        return entry;
    }

    private byte[] ReadSpooled(long position)
    {
        var start = _offsets[(int)position];
        var end = position + 1 < _offsets.Count ? _offsets[(int)position + 1] : _spool!.Length;
        var bytes = new byte[end - start - 1];
        RandomAccess.Read(_spool!.SafeFileHandle, bytes, start);
        return bytes;
    }
}
