using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Federation;

/// <summary>
/// An execution attestation (DESIGN §8.2, docs/FORMAT.md §10): what a ledger serves to prove one execution's state to a
/// peer — its signed statement, the checkpoint (meeting its policy) the statement is made at, every entry of the
/// execution's stream below that checkpoint with its inclusion proof, and optionally a consistency proof from a size
/// the peer already holds. <see cref="AttestationVerifier"/> checks it.
/// </summary>
/// <remarks>
/// The text is lines ending in LF: the header, <c>statement</c>, <c>checkpoint</c>, one <c>entry</c> line per stream
/// entry in stream order, and an optional <c>consistency</c> line. Parsing is strict (one spelling per document);
/// <see cref="Format"/> writes exactly what <see cref="Parse"/> reads, and <see cref="Digest"/> names those bytes.
/// Immutable and thread-safe.
/// </remarks>
public sealed class ExecutionAttestation
{
    /// <summary>The first line.</summary>
    public const string Header = "execution-attestation@v1";

    /// <summary>The most proof hashes on one line (a tree of at most 2^63 − 1 leaves).</summary>
    public const int MaxProofHashes = AttestationText.MaxProofHashes;

    /// <summary>Creates an attestation.</summary>
    /// <exception cref="ArgumentException">No entry, or a proof longer than <see cref="MaxProofHashes"/>.</exception>
    public ExecutionAttestation(SignedNote statement, SignedNote checkpoint, IReadOnlyList<AttestedEntry> entries, long? consistencyFrom = null, IReadOnlyList<byte[]>? consistencyProof = null)
    {
        AttestationText.Check(statement, checkpoint, entries, consistencyProof);
        Statement = statement;
        CheckpointNote = checkpoint;
        Entries = entries;
        ConsistencyFrom = consistencyFrom;
        ConsistencyProof = consistencyFrom is null ? [] : consistencyProof ?? [];
    }

    /// <summary>The serving ledger's signed statement (its text is an <see cref="AttestationStatement"/>).</summary>
    public SignedNote Statement { get; }

    /// <summary>The signed checkpoint, with its cosignatures.</summary>
    public SignedNote CheckpointNote { get; }

    /// <summary>The stream's entries below the checkpoint's size, in stream order.</summary>
    public IReadOnlyList<AttestedEntry> Entries { get; }

    /// <summary>The size a consistency proof starts from, or null.</summary>
    public long? ConsistencyFrom { get; }

    /// <summary>The consistency proof from <see cref="ConsistencyFrom"/> to the checkpoint's size (empty when absent).</summary>
    public IReadOnlyList<byte[]> ConsistencyProof { get; }

    /// <summary>The text (FORMAT §10.1).</summary>
    public string Format() => AttestationText.Format(Header, Parts);

    internal AttestationText.Parts Parts => new(Statement, CheckpointNote, Entries, ConsistencyFrom, ConsistencyProof);

    /// <summary><c>sha256:</c> and the lowercase hex SHA-256 of the UTF-8 bytes of <see cref="Format"/>.</summary>
    public string Digest() => DigestOf(Format());

    /// <summary>The digest of an attestation's text, as <see cref="Digest"/> computes it.</summary>
    public static string DigestOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <inheritdoc />
    public override string ToString() => Format();

    /// <summary>Parses the text.</summary>
    /// <exception cref="FormatException">It is not exactly the format; the message says where.</exception>
    public static ExecutionAttestation Parse(string text) =>
        TryParse(text, out var attestation, out var error) ? attestation : throw new FormatException(error);

    /// <summary>Parses the text; false and the reason when it is not exactly the format.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ExecutionAttestation? attestation, [NotNullWhen(false)] out string? error)
    {
        if (!AttestationText.TryParse(text, Header, out var parts, out error))
        {
            attestation = null;
            return false;
        }

        attestation = new ExecutionAttestation(parts.Statement, parts.Checkpoint, parts.Entries, parts.ConsistencyFrom, parts.ConsistencyProof);
        return true;
    }
}
