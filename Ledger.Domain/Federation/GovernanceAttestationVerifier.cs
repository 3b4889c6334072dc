using System.Globalization;
using Ledger.Domain.Merkle;
using Ledger.Domain.Publications;

namespace Ledger.Domain.Federation;

/// <summary>
/// Verifies a <see cref="GovernanceAttestation"/> (docs/FORMAT.md §10.8): the steps of an execution attestation's
/// verification (<see cref="AttestationVerifier"/>, whose checks it runs), over the peer's <c>$governance</c> stream.
/// One pure function shared by the ledger that decides a governance claim and the offline verifier.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class GovernanceAttestationVerifier
{
    /// <summary>Verifies <paramref name="text"/> as an attestation of the <c>$governance</c> stream of the peer <paramref name="trust"/>.</summary>
    public static AttestationCheck Verify(string text, PeerTrust trust, AttestationContext context)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(context);
        if (!GovernanceAttestation.TryParse(text, out var attestation, out var parseError))
        {
            return new AttestationCheck.Malformed(parseError);
        }

        if (AttestationVerifier.CheckSigned(attestation.Statement, trust) is { } unsigned)
        {
            return unsigned;
        }

        if (!GovernanceStatement.TryParse(attestation.Statement.Text, out var statement, out var statementError))
        {
            return new AttestationCheck.Malformed(statementError);
        }

        if (statement.Origin != trust.Origin)
        {
            return new AttestationCheck.WrongSubject($"the governance of '{trust.Origin}'", $"the governance of '{statement.Origin}'");
        }

        if (AttestationVerifier.CheckCheckpoint(attestation.Parts, trust, context, statement.Size, statement.Root, out var checkpoint) is { } checkpointProblem)
        {
            return checkpointProblem;
        }

        var root = checkpoint.RootHash.ToArray();
        var book = GovernanceBook.Empty;
        byte[]? previousLeaf = null;
        for (var i = 0; i < attestation.Entries.Count; i++)
        {
            var attested = attestation.Entries[i];
            if (AttestationVerifier.CheckStreamEntry(attested, i + 1, previousLeaf, trust.Origin, GovernanceBook.StreamName, checkpoint, root, out var entry) is { } problem)
            {
                return new AttestationCheck.EntryRejected(attested.Position, problem);
            }

            if (!GovernanceEventCodec.TryParse(entry.Type, entry.Data, out var @event, out var errors))
            {
                return new AttestationCheck.EntryRejected(attested.Position, $"its {entry.Type} data is not a governance event: {string.Join("; ", errors)}");
            }

            book = GovernanceBook.Evolve(book, @event, entry.Position, entry.RecordedAt);
            previousLeaf = MerkleHash.HashLeaf(attested.Entry);
        }

        if (statement.Version != attestation.Entries.Count)
        {
            return new AttestationCheck.StatementMismatch(
                "version", statement.Version.ToString(CultureInfo.InvariantCulture), attestation.Entries.Count.ToString(CultureInfo.InvariantCulture) + " entries");
        }

        if (!statement.LastLeaf.AsSpan().SequenceEqual(previousLeaf))
        {
            return new AttestationCheck.StatementMismatch("leaf", Convert.ToBase64String(statement.LastLeaf), Convert.ToBase64String(previousLeaf!));
        }

        if (AttestationVerifier.CheckTime(statement.Time, context) is { } stale)
        {
            return stale;
        }

        return new AttestationCheck.GovernanceVerified(new AttestedGovernance(statement, attestation.CheckpointNote.Format(), book, attestation.Digest()));
    }
}
