using System.Text;
using Ledger.Domain.Crypto;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;

namespace Ledger.Api.Tests.Witness;

/// <summary>A log in memory with its own Ed25519 key: checkpoints and consistency proofs to submit to a witness.</summary>
public sealed class TestLog : IDisposable
{
    private readonly SigningKey _key;
    private readonly MerkleTree _tree = new();
    private readonly bool _ownsKey;

    public TestLog(string origin, SigningKey? key = null)
    {
        Origin = origin;
        _ownsKey = key is null;
        _key = key ?? SigningKey.GenerateEd25519();
        Signer = NoteSigner.Create(origin, _key);
    }

    public string Origin { get; }

    /// <summary>The log's key (a fork made with <c>new TestLog(origin, log.Key)</c> signs as the log).</summary>
    public SigningKey Key => _key;

    public NoteSigner Signer { get; }

    public string VerifierKey => Signer.Verifier.VerifierKey;

    public long Size => _tree.Size;

    /// <summary>Appends <paramref name="count"/> entries labelled <paramref name="label"/>.</summary>
    public TestLog Grow(int count, string label = "entry")
    {
        for (var i = 0; i < count; i++)
        {
            _tree.AppendEntry(Encoding.UTF8.GetBytes($"{label}-{_tree.Size}"));
        }

        return this;
    }

    public byte[] Root(long size) => size == 0 ? MerkleHash.EmptyRoot() : _tree.Root(size);

    /// <summary>The signed checkpoint at <paramref name="size"/> (default: the whole tree).</summary>
    public string Checkpoint(long? size = null, NoteSigner? signer = null)
    {
        var at = size ?? Size;
        return new Checkpoint(Origin, at, Root(at)).Sign(signer ?? Signer).Format();
    }

    public IReadOnlyList<byte[]> Proof(long from, long to) => from == 0 || from == to ? [] : _tree.ConsistencyProof(from, to);

    /// <summary>The add-checkpoint body from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public string Body(long from, long? to = null)
    {
        var at = to ?? Size;
        return Ledger.Domain.Witnessing.AddCheckpointRequest.Format(from, Proof(from, at), Checkpoint(at));
    }

    public void Dispose()
    {
        Signer.Dispose();
        if (_ownsKey)
        {
            _key.Dispose();
        }
    }
}
