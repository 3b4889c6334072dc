using Ledger.Application.Hosting;
using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;

namespace Ledger.Application.Witnessing;

/// <summary>
/// The ledger's witness key: Ed25519, kept in <c>&lt;data-dir&gt;/witness.key</c> (an skey, mode 0600, created on first
/// start), used only for c2sp.org/tlog-cosignature <c>cosignature/v1</c> (type 0x04) signatures.
/// </summary>
/// <remarks>Thread-safe. Owns its key.</remarks>
public sealed class WitnessKey : IDisposable
{
    public const string FileName = "witness.key";

    private readonly Ed25519SigningKey _key;

    private WitnessKey(string name, Ed25519SigningKey key)
    {
        Name = name;
        _key = key;
        Verifier = NoteVerifier.CreateCosignatureV1(name, key.VerificationKey);
    }

    /// <summary>The key name on cosignature lines.</summary>
    public string Name { get; }

    /// <summary>The cosignature/v1 verifier; its <see cref="NoteVerifier.VerifierKey"/> is the vkey to publish.</summary>
    public NoteVerifier Verifier { get; }

    /// <summary>A cosigner whose signatures carry <paramref name="timestamp"/> (POSIX seconds).</summary>
    public NoteSigner Cosigner(long timestamp) => NoteSigner.CreateCosignatureV1(Name, _key, timestamp);

    /// <summary>Reads the witness key, or creates it (named <paramref name="keyName"/>) on first start.</summary>
    /// <exception cref="InvalidOperationException">The file is not an Ed25519 key, or the name is not a valid key name.</exception>
    public static WitnessKey LoadOrCreate(string dataDir, string keyName)
    {
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path))
        {
            var key = PrivateKeyText.Import(File.ReadAllText(path), out var name);
            return key is Ed25519SigningKey ed && name is not null
                ? new WitnessKey(name, ed)
                : throw new InvalidOperationException($"{path} must hold an Ed25519 signer key (PRIVATE+KEY+name+id+key).");
        }

        if (keyName.Length == 0 || keyName.Any(c => c == '+' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new InvalidOperationException($"Ledger:Witness:KeyName must be a note key name (non-empty, no spaces or '+'), not '{keyName}'.");
        }

        var created = SigningKey.GenerateEd25519();
        LedgerBootstrap.WriteSecret(path, PrivateKeyText.Export(created, keyName));
        return new WitnessKey(keyName, created);
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
