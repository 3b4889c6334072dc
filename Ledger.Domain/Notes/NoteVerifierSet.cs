using System.Collections;
using System.Text;

namespace Ledger.Domain.Notes;

/// <summary>
/// The keys a client trusts for notes, looked up by (key name, key id), and the note verification rules of
/// c2sp.org/signed-note.
/// </summary>
/// <remarks>
/// <para>Rules (as golang.org/x/mod/sumdb/note <c>Open</c>): a signature whose (name, id) is unknown is ignored,
/// even if it shares the name or the id (not both) with a known key; a known key's signature must verify or the note
/// is rejected; repeated signatures by one known key are checked once; at least one known signature is required.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class NoteVerifierSet : IReadOnlyCollection<NoteVerifier>
{
    private readonly Dictionary<(string Name, uint KeyId), NoteVerifier> _verifiers = [];

    /// <summary>Creates the set.</summary>
    /// <exception cref="ArgumentException">Two verifiers share a key name and key id (an ambiguous configuration).</exception>
    public NoteVerifierSet(params IEnumerable<NoteVerifier> verifiers)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        foreach (var verifier in verifiers)
        {
            ArgumentNullException.ThrowIfNull(verifier);
            if (!_verifiers.TryAdd((verifier.Name, verifier.KeyId), verifier))
            {
                throw new ArgumentException(
                    $"Two verifier keys share the name '{verifier.Name}' and key id {NoteKeys.FormatId(verifier.KeyId)}.", nameof(verifiers));
            }
        }
    }

    /// <inheritdoc />
    public int Count => _verifiers.Count;

    /// <summary>The verifier for (name, key id), or null.</summary>
    public NoteVerifier? Find(string name, uint keyId) => _verifiers.GetValueOrDefault((name, keyId));

    /// <summary>Parses and verifies a UTF-8 signed note.</summary>
    public NoteCheck Open(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return Verify(SignedNote.Parse(utf8));
        }
        catch (FormatException e)
        {
            return new NoteCheck.Malformed(e.Message);
        }
    }

    /// <summary>Parses and verifies a signed note.</summary>
    public NoteCheck Open(string message)
    {
        try
        {
            return Verify(SignedNote.Parse(message));
        }
        catch (FormatException e)
        {
            return new NoteCheck.Malformed(e.Message);
        }
    }

    /// <summary>Verifies a parsed note.</summary>
    /// <exception cref="PlatformNotSupportedException">A known Ed25519 key signed and libcrypto with Ed25519 is not available.</exception>
    public NoteCheck Verify(SignedNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var text = Encoding.UTF8.GetBytes(note.Text);
        var verified = new List<NoteSignature>();
        var unverified = new List<NoteSignature>();
        var seen = new HashSet<(string, uint)>();
        foreach (var signature in note.Signatures)
        {
            var verifier = Find(signature.Name, signature.KeyId);
            if (verifier is null)
            {
                if (!unverified.Contains(signature))
                {
                    unverified.Add(signature);
                }

                continue;
            }

            if (!seen.Add((signature.Name, signature.KeyId)))
            {
                continue;
            }

            if (!verifier.Verify(text, signature.Signature))
            {
                return new NoteCheck.InvalidSignature(note, signature.Name, signature.KeyId);
            }

            verified.Add(signature);
        }

        return verified.Count > 0
            ? new NoteCheck.Verified(note, verified, unverified)
            : new NoteCheck.NoKnownSignature(note);
    }

    /// <inheritdoc />
    public IEnumerator<NoteVerifier> GetEnumerator() => _verifiers.Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
