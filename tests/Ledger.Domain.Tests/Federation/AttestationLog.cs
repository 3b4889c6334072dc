using Ledger.Domain.Crypto;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;
using Ledger.Domain.Tests.Executions;

namespace Ledger.Domain.Tests.Federation;

/// <summary>
/// A peer's log in memory: one execution's stream between other entries, a Merkle tree, checkpoints signed by the
/// peer's key and cosigned by a witness, and attestations made as the ledger makes them (AttestationService).
/// </summary>
internal sealed class AttestationLog : IDisposable
{
    public const string Origin = "peer.example/ledger";
    private readonly MerkleTree _tree = new();
    private readonly List<LedgerEntry> _entries = [];

    public AttestationLog()
    {
        Key = NoteSigner.Create(Origin, SigningKey.GenerateEd25519());
        Witness = NoteSigner.CreateCosignatureV1("witness.example/w", SigningKey.GenerateEd25519(), Sample.T0.ToUnixTimeSeconds());
    }

    public NoteSigner Key { get; }

    public NoteSigner Witness { get; }

    public long Size => _tree.Size;

    /// <summary>The peer's trust: its key and a policy requiring the witness's cosignature.</summary>
    public PeerTrust Trust => new(Origin, Key.Verifier, TlogPolicy.Parse($"log {Key.Verifier.VerifierKey}\nwitness w {Witness.Verifier.VerifierKey}\nquorum w\n"));

    /// <summary>Appends an execution event (and <paramref name="filler"/> other entries before it).</summary>
    public void Append(ExecutionId execution, IExecutionEvent @event, DateTimeOffset at, int filler = 1)
    {
        for (var i = 0; i < filler; i++)
        {
            Add("$other", "other.noted.v1", System.Text.Json.JsonDocument.Parse("""{"n":1}""").RootElement.Clone(), at);
        }

        Add(execution.StreamName, ExecutionEventCodec.TypeOf(@event), ExecutionEventCodec.ToData(@event), at);
    }

    /// <summary>Appends a <c>$governance</c> event (and <paramref name="filler"/> other entries before it).</summary>
    public void Append(Ledger.Domain.Publications.IGovernanceEvent @event, DateTimeOffset at, int filler = 1)
    {
        for (var i = 0; i < filler; i++)
        {
            Add("$other", "other.noted.v1", System.Text.Json.JsonDocument.Parse("""{"n":1}""").RootElement.Clone(), at);
        }

        Add(Ledger.Domain.Publications.GovernanceBook.StreamName, WireNames.Of(@event.GetType()), Ledger.Domain.Publications.GovernanceEventCodec.ToData(@event), at);
    }

    /// <summary>The attestation of this log's <c>$governance</c> stream as the ledger serves it.</summary>
    public GovernanceAttestation AttestGovernance(
        DateTimeOffset time, SignedNote? checkpoint = null, NoteSigner? statementKey = null, long? from = null,
        Func<GovernanceStatement, GovernanceStatement>? statementEdit = null, Func<List<AttestedEntry>, List<AttestedEntry>>? entriesEdit = null)
    {
        checkpoint ??= Checkpoint();
        var parsed = Ledger.Domain.Notes.Checkpoint.Parse(checkpoint.Text);
        var stream = _entries.Where(e => e.Stream == Ledger.Domain.Publications.GovernanceBook.StreamName && e.Position < parsed.Size).ToList();
        var entries = stream.Select(e => new AttestedEntry(e.Position, e.ToCanonicalBytes(), _tree.InclusionProof(e.Position, parsed.Size))).ToList();
        var statement = new GovernanceStatement(Origin, parsed.Size, parsed.RootHash.ToArray(), stream.Count, MerkleHash.HashLeaf(stream[^1].ToCanonicalBytes()), time);
        statement = statementEdit?.Invoke(statement) ?? statement;
        entries = entriesEdit?.Invoke(entries) ?? entries;
        return new GovernanceAttestation(
            SignedNote.Sign(statement.ToText(), statementKey ?? Key), checkpoint, entries, from, from is { } f ? _tree.ConsistencyProof(f, parsed.Size) : null);
    }

    /// <summary>The signed checkpoint of the current tree, cosigned by the witness unless <paramref name="cosigned"/> is false.</summary>
    public SignedNote Checkpoint(bool cosigned = true, long? size = null, NoteSigner? key = null)
    {
        var s = size ?? _tree.Size;
        var note = new Checkpoint(Origin, s, _tree.Root(s)).Sign(key ?? Key);
        return cosigned ? note.AddSignatures(Witness) : note;
    }

    /// <summary>The attestation of <paramref name="execution"/> as the ledger serves it.</summary>
    public ExecutionAttestation Attest(
        ExecutionId execution, DateTimeOffset time, SignedNote? checkpoint = null, NoteSigner? statementKey = null, long? from = null,
        Func<AttestationStatement, AttestationStatement>? statementEdit = null, Func<List<AttestedEntry>, List<AttestedEntry>>? entriesEdit = null)
    {
        checkpoint ??= Checkpoint();
        var parsed = Ledger.Domain.Notes.Checkpoint.Parse(checkpoint.Text);
        var stream = _entries.Where(e => e.Stream == execution.StreamName && e.Position < parsed.Size).ToList();
        var entries = stream.Select(e => new AttestedEntry(e.Position, e.ToCanonicalBytes(), _tree.InclusionProof(e.Position, parsed.Size))).ToList();
        var state = Execution.Replay(execution, stream.Select(e => (Parse(e), e.RecordedAt, e.Domain)));
        var statement = new AttestationStatement(
            Origin, execution, parsed.Size, parsed.RootHash.ToArray(), stream.Count, MerkleHash.HashLeaf(stream[^1].ToCanonicalBytes()), state.Status, time);
        statement = statementEdit?.Invoke(statement) ?? statement;
        entries = entriesEdit?.Invoke(entries) ?? entries;
        return new ExecutionAttestation(
            SignedNote.Sign(statement.ToText(), statementKey ?? Key), checkpoint, entries, from, from is { } f ? _tree.ConsistencyProof(f, parsed.Size) : null);
    }

    public void Dispose()
    {
        Key.Dispose();
        Witness.Dispose();
    }

    private static IExecutionEvent Parse(LedgerEntry entry) =>
        ExecutionEventCodec.TryParse(entry.Type, entry.Data, out var e, out var errors) ? e : throw new InvalidOperationException(string.Join("; ", errors));

    private void Add(string stream, string type, System.Text.Json.JsonElement data, DateTimeOffset at)
    {
        var previous = _entries.LastOrDefault(e => e.Stream == stream);
        var version = (previous?.StreamVersion ?? 0) + 1;
        var entry = new LedgerEntry(
            Origin, _tree.Size, at, version, new EmitterStatement(stream, $"e-{_tree.Size}", type, Sample.Origin, "aws-emitter", null, data, null), null,
            previous is null ? null : MerkleHash.HashLeaf(previous.ToCanonicalBytes()));
        _entries.Add(entry);
        _tree.AppendEntry(entry.ToCanonicalBytes());
    }
}
