using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;

namespace Ledger.Domain.Notes;

/// <summary>
/// An offline-verifiable proof that an entry is in a log, per c2sp.org/tlog-proof@v1: the entry's index, its RFC 6962
/// inclusion proof, and the signed checkpoint (with any cosignatures) it is proven against, plus optional extra data.
/// </summary>
/// <remarks>
/// <para>Text, each line ending in a newline: <c>c2sp.org/tlog-proof@v1</c>; optionally <c>extra </c> + base64(extra
/// data, at least one byte); <c>index </c> + decimal index (no leading zeroes); zero or more lines of base64 32-byte proof hashes, the
/// leaf's sibling first; an empty line; the signed checkpoint note verbatim.</para>
/// <para>The ledger's receipt (<see cref="ForEntry"/>) carries the entry's canonical bytes as the extra data, so a
/// receipt is self-contained. Extra data is never trusted: <see cref="Verify(NoteVerifierSet, string?)"/> hashes it
/// as the leaf and checks it against the signed root.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class TlogProof
{
    /// <summary>The first line.</summary>
    public const string Header = "c2sp.org/tlog-proof@v1";

    /// <summary>The most proof hashes a tree of at most 2^63 − 1 leaves needs.</summary>
    public const int MaxProofHashes = 63;

    private const string ExtraPrefix = "extra ";
    private const string IndexPrefix = "index ";

    private readonly byte[]? _extra;
    private readonly byte[][] _proof;

    /// <summary>Creates a proof.</summary>
    /// <param name="index">The 0-based entry index.</param>
    /// <param name="inclusionProof">The audit path, lowest level first (32-byte hashes).</param>
    /// <param name="checkpoint">The signed checkpoint the proof is for.</param>
    /// <param name="extra">Optional opaque extra data, non-empty (null: no extra line).</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative index.</exception>
    /// <exception cref="ArgumentException">A hash that is not 32 bytes, more than <see cref="MaxProofHashes"/> hashes,
    /// empty extra data, or a note whose text is not a checkpoint.</exception>
    public TlogProof(long index, IEnumerable<byte[]> inclusionProof, SignedNote checkpoint, byte[]? extra = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentNullException.ThrowIfNull(inclusionProof);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var proof = inclusionProof.Select(h => (byte[])h.Clone()).ToArray();
        if (proof.Length > MaxProofHashes)
        {
            throw new ArgumentException($"An inclusion proof has at most {MaxProofHashes} hashes, not {proof.Length}.", nameof(inclusionProof));
        }

        if (proof.Any(h => h.Length != MerkleHash.Size))
        {
            throw new ArgumentException($"Every proof hash is {MerkleHash.Size} bytes.", nameof(inclusionProof));
        }

        if (!Checkpoint.TryParse(checkpoint.Text, out var parsed, out var error))
        {
            throw new ArgumentException("The note is not a checkpoint: " + error, nameof(checkpoint));
        }

        if (extra is { Length: 0 })
        {
            throw new ArgumentException("Extra data is absent (null) or non-empty.", nameof(extra));
        }

        Index = index;
        _proof = proof;
        CheckpointNote = checkpoint;
        Checkpoint = parsed;
        _extra = extra is null ? null : (byte[])extra.Clone();
    }

    /// <summary>The 0-based entry index.</summary>
    public long Index { get; }

    /// <summary>The inclusion proof hashes (copies), the leaf's sibling first.</summary>
    public IReadOnlyList<byte[]> InclusionProof => [.. _proof.Select(h => (byte[])h.Clone())];

    /// <summary>The signed checkpoint note, as carried.</summary>
    public SignedNote CheckpointNote { get; }

    /// <summary>The checkpoint (the note's text, parsed).</summary>
    public Checkpoint Checkpoint { get; }

    /// <summary>The extra data, or null when the proof has none. Unauthenticated until verified as the entry.</summary>
    public ReadOnlyMemory<byte>? Extra => _extra is null ? default(ReadOnlyMemory<byte>?) : _extra.AsMemory();

    /// <summary>The ledger's receipt for one entry: the proof with the entry's bytes as extra data.</summary>
    public static TlogProof ForEntry(long index, IEnumerable<byte[]> inclusionProof, SignedNote checkpoint, ReadOnlySpan<byte> entry) =>
        new(index, inclusionProof, checkpoint, entry.ToArray());

    /// <summary>Parses proof text.</summary>
    /// <exception cref="FormatException">Malformed (the message says where).</exception>
    public static TlogProof Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var position = 0;
        if (NextLine(text, ref position) != Header)
        {
            throw new FormatException($"A tlog proof starts with the line '{Header}'.");
        }

        byte[]? extra = null;
        var line = NextLine(text, ref position);
        if (line is not null && line.StartsWith(ExtraPrefix, StringComparison.Ordinal))
        {
            if (!StrictBase64.TryDecode(line[ExtraPrefix.Length..], out var decoded))
            {
                throw new FormatException("The extra line is not canonical base64 of at least one byte.");
            }

            extra = decoded;
            line = NextLine(text, ref position);
        }

        if (line is null || !line.StartsWith(IndexPrefix, StringComparison.Ordinal)
            || !Checkpoint.TryParseDecimal(line[IndexPrefix.Length..], out var index))
        {
            throw new FormatException($"Expected 'index N' with N a decimal in 0..{long.MaxValue} without leading zeroes.");
        }

        var proof = new List<byte[]>();
        while (true)
        {
            line = NextLine(text, ref position) ?? throw new FormatException("The proof has no empty line before the checkpoint.");
            if (line.Length == 0)
            {
                break;
            }

            if (proof.Count == MaxProofHashes)
            {
                throw new FormatException($"The inclusion proof has more than {MaxProofHashes} hashes.");
            }

            if (!StrictBase64.TryDecode(line, out var hash) || hash.Length != MerkleHash.Size)
            {
                throw new FormatException($"Proof hash {proof.Count + 1} is not canonical base64 of {MerkleHash.Size} bytes.");
            }

            proof.Add(hash);
        }

        var note = SignedNote.Parse(text[position..]);
        if (!Checkpoint.TryParse(note.Text, out _, out var error))
        {
            throw new FormatException("The proof's note is not a checkpoint: " + error);
        }

        return new TlogProof(index, proof, note, extra);
    }

    /// <summary>Parses proof text; false (and the reason) instead of an exception.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out TlogProof? proof, [NotNullWhen(false)] out string? error)
    {
        try
        {
            proof = Parse(text);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            proof = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Parses and verifies receipt text, taking the entry from its extra data.</summary>
    public static TlogProofCheck Open(string text, NoteVerifierSet trusted, string? expectedOrigin = null) =>
        TryParse(text, out var proof, out var error) ? proof.Verify(trusted, expectedOrigin) : new TlogProofCheck.Malformed(error);

    /// <summary>Verifies the proof for the entry carried as extra data.</summary>
    /// <param name="trusted">The log's (and any required witnesses') verifier keys.</param>
    /// <param name="expectedOrigin">The log origin the checkpoint must carry, or null to accept any origin the trusted keys sign.</param>
    public TlogProofCheck Verify(NoteVerifierSet trusted, string? expectedOrigin = null) =>
        _extra is null ? new TlogProofCheck.NoEntry() : Verify(trusted, _extra, expectedOrigin);

    /// <summary>Verifies the proof for <paramref name="entry"/>: the checkpoint is signed by a trusted key, has the
    /// expected origin, and its root includes SHA-256(0x00 ‖ entry) at <see cref="Index"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">A trusted Ed25519 key signed and libcrypto with Ed25519 is not available.</exception>
    public TlogProofCheck Verify(NoteVerifierSet trusted, ReadOnlySpan<byte> entry, string? expectedOrigin = null)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        var note = trusted.Verify(CheckpointNote);
        if (note is not NoteCheck.Verified signatures)
        {
            return new TlogProofCheck.CheckpointRejected(note);
        }

        // The log's own signature is required: a trusted cosigner's (type 0x04) signature never stands for it.
        var logSigned = signatures.VerifiedSignatures.Any(s =>
            trusted.Find(s.Name, s.KeyId) is { SignatureType: not NoteSignatureType.CosignatureV1 });
        if (!logSigned)
        {
            return new TlogProofCheck.NoLogSignature(Checkpoint.Origin, [.. signatures.VerifiedSignatures.Select(s => s.Name)]);
        }

        return CheckOriginAndInclusion(signatures, entry, expectedOrigin);
    }

    /// <summary>Verifies the proof for the entry carried as extra data against a trust policy: the checkpoint is signed by
    /// one of the policy's logs under its origin, cosigned by witnesses meeting its quorum (cosignatures later than
    /// <paramref name="now"/> do not count), has the expected origin, and its root includes the entry.</summary>
    public TlogProofCheck Verify(TlogPolicy policy, string? expectedOrigin = null, DateTimeOffset? now = null) =>
        _extra is null ? new TlogProofCheck.NoEntry() : Verify(policy, _extra, expectedOrigin, now);

    /// <summary>As <see cref="Verify(TlogPolicy, string?, DateTimeOffset?)"/> for <paramref name="entry"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">An Ed25519 key signed and libcrypto with Ed25519 is not available.</exception>
    public TlogProofCheck Verify(TlogPolicy policy, ReadOnlySpan<byte> entry, string? expectedOrigin = null, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var check = policy.Verify(CheckpointNote, now);
        if (check is not TlogPolicyCheck.Verified verified)
        {
            return new TlogProofCheck.PolicyRejected(check);
        }

        var counted = verified.Cosigners.Select(n => policy.Witnesses.First(w => w.Name == n).Key).Append(verified.LogKey).ToList();
        var signed = CheckpointNote.Signatures.Where(s => counted.Any(k => k.Name == s.Name && k.KeyId == s.KeyId)).Distinct().ToList();
        var others = CheckpointNote.Signatures.Except(signed).Distinct().ToList();
        return CheckOriginAndInclusion(new NoteCheck.Verified(CheckpointNote, signed, others), entry, expectedOrigin);
    }

    /// <summary>As <see cref="VerifyLedgerEntry(NoteVerifierSet, string)"/> against a trust policy.</summary>
    public TlogProofCheck VerifyLedgerEntry(TlogPolicy policy, string expectedOrigin, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(expectedOrigin);
        return CheckLedgerEntry(Verify(policy, expectedOrigin, now));
    }

    private TlogProofCheck CheckOriginAndInclusion(NoteCheck.Verified signatures, ReadOnlySpan<byte> entry, string? expectedOrigin)
    {

        if (expectedOrigin is not null && !string.Equals(expectedOrigin, Checkpoint.Origin, StringComparison.Ordinal))
        {
            return new TlogProofCheck.OriginMismatch(expectedOrigin, Checkpoint.Origin);
        }

        var leafHash = MerkleHash.HashLeaf(entry);
        var inclusion = MerkleVerifier.VerifyInclusion(Index, Checkpoint.Size, leafHash, _proof, Checkpoint.RootHash.Span);
        return inclusion.Failure is { } failure
            ? new TlogProofCheck.InclusionFailed(failure, leafHash)
            : new TlogProofCheck.Verified(Checkpoint, signatures, Index, leafHash);
    }

    /// <summary>Verifies a ledger receipt: <see cref="Verify(NoteVerifierSet, string?)"/> for the entry carried as extra
    /// data, then that the entry is a canonical <see cref="LedgerEntry"/> whose <c>origin</c> is the checkpoint's and
    /// whose <c>position</c> is <see cref="Index"/>.</summary>
    /// <param name="trusted">The ledger's (and any required witnesses') verifier keys.</param>
    /// <param name="expectedOrigin">The ledger's origin.</param>
    public TlogProofCheck VerifyLedgerEntry(NoteVerifierSet trusted, string expectedOrigin)
    {
        ArgumentNullException.ThrowIfNull(expectedOrigin);
        return CheckLedgerEntry(Verify(trusted, expectedOrigin));
    }

    private TlogProofCheck CheckLedgerEntry(TlogProofCheck check)
    {
        if (check is not TlogProofCheck.Verified)
        {
            return check;
        }

        LedgerEntry entry;
        try
        {
            entry = LedgerEntry.Parse(_extra);
        }
        catch (FormatException e)
        {
            return new TlogProofCheck.EntryMismatch("The entry is not a canonical ledger entry: " + e.Message);
        }

        if (!string.Equals(entry.Origin, Checkpoint.Origin, StringComparison.Ordinal))
        {
            return new TlogProofCheck.EntryMismatch($"The entry's origin '{entry.Origin}' is not the checkpoint's '{Checkpoint.Origin}'.");
        }

        return entry.Position == Index
            ? check
            : new TlogProofCheck.EntryMismatch($"The entry's position {entry.Position} is not the receipt's index {Index}.");
    }

    /// <summary>The proof text.</summary>
    public string Format()
    {
        var builder = new StringBuilder(Header).Append('\n');
        if (_extra is not null)
        {
            builder.Append(ExtraPrefix).Append(Convert.ToBase64String(_extra)).Append('\n');
        }

        builder.Append(IndexPrefix).Append(Index.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var hash in _proof)
        {
            builder.Append(Convert.ToBase64String(hash)).Append('\n');
        }

        return builder.Append('\n').Append(CheckpointNote.Format()).ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Format();

    /// <summary>The line starting at <paramref name="position"/> without its newline, or null when no complete line is left.</summary>
    private static string? NextLine(string text, ref int position)
    {
        var end = text.IndexOf('\n', position);
        if (end < 0)
        {
            return null;
        }

        var line = text[position..end];
        position = end + 1;
        return line;
    }
}
