using Ledger.Application.Hosting;
using Ledger.Domain.Notes;

namespace Ledger.Api.Tests.Hosting;

/// <summary>The ledger key: Ed25519 for a new ledger, ECDSA P-256 on request, and a key on disk keeps its type.</summary>
public sealed class LedgerKeyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ledger-key-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in the temporary directory.
        }
    }

    private LedgerOptions Options(string dir, string? algorithm = null)
    {
        var options = new LedgerOptions { DataDir = Path.Combine(_root, dir), Origin = "ledger.example.com/keys" };
        if (algorithm is not null)
        {
            options.KeyAlgorithm = algorithm;
        }

        return options;
    }

    [Fact]
    public async Task A_new_ledger_signs_its_checkpoints_with_ed25519_under_its_origin()
    {
        await using var node = await LedgerBootstrap.OpenAsync(Options("fresh"), CancellationToken.None);

        node.Signer.SignatureType.ShouldBe(NoteSignatureType.Ed25519);
        node.Signer.Name.ShouldBe("ledger.example.com/keys");
        var note = new Checkpoint(node.Origin, 0, System.Security.Cryptography.SHA256.HashData([])).Sign(node.Signer);
        // What a verifier that knows only Ed25519 does: key id = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4], then Ed25519.
        var vkey = NoteVerifier.Parse(node.Signer.Verifier.VerifierKey);
        var raw = Convert.FromBase64String(vkey.VerifierKey.Split('+', 3)[2]);
        raw[0].ShouldBe((byte)0x01);
        raw.Length.ShouldBe(33);
        var id = System.Security.Cryptography.SHA256.HashData([.. "ledger.example.com/keys\n"u8, .. raw]);
        note.Signatures.Single().KeyId.ShouldBe(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(id));
        new NoteVerifierSet(vkey).Verify(note).ShouldBeOfType<NoteCheck.Verified>();
    }

    [Fact]
    public async Task Ecdsa_p256_is_an_option_and_a_key_on_disk_keeps_its_type()
    {
        string vkey;
        await using (var node = await LedgerBootstrap.OpenAsync(Options("ecdsa", "ecdsa-p256"), CancellationToken.None))
        {
            node.Signer.SignatureType.ShouldBe(NoteSignatureType.EcdsaSha256);
            vkey = node.Signer.Verifier.VerifierKey;
        }

        await using var reopened = await LedgerBootstrap.OpenAsync(Options("ecdsa"), CancellationToken.None);
        reopened.Signer.SignatureType.ShouldBe(NoteSignatureType.EcdsaSha256);
        reopened.Signer.Verifier.VerifierKey.ShouldBe(vkey);
    }

    [Fact]
    public async Task Invalid_options_are_refused_before_anything_is_created()
    {
        var options = Options("invalid");
        options.Origin = "a b";

        var error = await Should.ThrowAsync<ArgumentException>(() => LedgerBootstrap.OpenAsync(options, CancellationToken.None));

        error.Message.ShouldContain("Ledger:Origin: origin 'a b'");
        Directory.Exists(options.DataDir).ShouldBeFalse();
    }
}
