using System.Globalization;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;

namespace Ledger.Client;

/// <summary>
/// Verifies a receipt (c2sp.org/tlog-proof@v1 with the entry as its extra data) offline, with Ledger.Domain's proof
/// code: the checkpoint's signature by a trusted log key (and a witness quorum when a policy is given), the inclusion
/// proof, and that the entry is the one at that position of that log.
/// </summary>
/// <remarks>Stateless and thread-safe. Trusted keys are obtained out of band, never from the ledger being checked.</remarks>
public static class ReceiptVerifier
{
    /// <summary>Verifies <paramref name="text"/> against <paramref name="trusted"/> log keys.</summary>
    /// <param name="text">The receipt.</param>
    /// <param name="trusted">The ledger verifier keys to trust.</param>
    /// <param name="origin">The log the receipt must be for; null for the one its checkpoint names (still signed by a trusted key).</param>
    /// <param name="position">The position the receipt must be for; null for any.</param>
    /// <exception cref="ReceiptVerificationException">It does not verify.</exception>
    public static VerifiedReceipt Verify(string text, NoteVerifierSet trusted, string? origin = null, long? position = null)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        var proof = Parse(text);
        return Check(text, proof, proof.VerifyLedgerEntry(trusted, origin ?? proof.Checkpoint.Origin), position);
    }

    /// <summary>Verifies <paramref name="text"/> against a C2SP tlog-policy: a log key it lists and its witness quorum.</summary>
    /// <param name="text">The receipt.</param>
    /// <param name="policy">The policy (its logs and witnesses).</param>
    /// <param name="now">The time: cosignatures timestamped after it do not count.</param>
    /// <param name="origin">The log the receipt must be for; null for the one its checkpoint names.</param>
    /// <param name="position">The position the receipt must be for; null for any.</param>
    /// <exception cref="ReceiptVerificationException">It does not verify.</exception>
    public static VerifiedReceipt Verify(string text, TlogPolicy policy, DateTimeOffset now, string? origin = null, long? position = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var proof = Parse(text);
        return Check(text, proof, proof.VerifyLedgerEntry(policy, origin ?? proof.Checkpoint.Origin, now), position);
    }

    /// <summary>Reads trusted ledger keys: each value is a verifier key (<c>name+hexid+base64</c>) or a file holding one.</summary>
    /// <exception cref="ArgumentException">A value is neither; the message names it.</exception>
    public static NoteVerifierSet ReadTrustedKeys(IEnumerable<string> keysOrFiles)
    {
        ArgumentNullException.ThrowIfNull(keysOrFiles);
        var verifiers = new List<NoteVerifier>();
        foreach (var value in keysOrFiles)
        {
            string text;
            try
            {
                text = File.Exists(value) ? File.ReadAllText(value).Trim() : value.Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"Cannot read the trusted key file '{value}': {e.Message}", nameof(keysOrFiles), e);
            }

            if (!NoteVerifier.TryParse(text, out var verifier, out var error))
            {
                throw new ArgumentException($"'{value}' is not a verifier key (name+hexid+base64) nor a file holding one: {error}", nameof(keysOrFiles));
            }

            verifiers.Add(verifier);
        }

        return new NoteVerifierSet(verifiers);
    }

    private static TlogProof Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TlogProof.TryParse(text, out var proof, out var error)
            ? proof
            : throw new ReceiptVerificationException("receipt-malformed", error);
    }

    private static VerifiedReceipt Check(string text, TlogProof proof, TlogProofCheck check, long? position)
    {
        if (check is not TlogProofCheck.Verified verified)
        {
            throw new ReceiptVerificationException(check.Code, Describe(check), check);
        }

        if (position is { } p && p != verified.Index)
        {
            throw new ReceiptVerificationException("receipt-position-mismatch",
                string.Create(CultureInfo.InvariantCulture, $"it is for position {verified.Index}, not the requested {p}"), check);
        }

        var entry = LedgerEntry.Parse(proof.Extra!.Value.Span);
        var signers = verified.Signatures.VerifiedSignatures.Select(s => s.Name).Distinct(StringComparer.Ordinal).ToArray();
        return new VerifiedReceipt(verified.Index, verified.Checkpoint, signers, verified.LeafHash, entry, text);
    }

    private static string Describe(TlogProofCheck check) => check switch
    {
        TlogProofCheck.CheckpointRejected r => $"the checkpoint is not signed by a trusted key ({r.Note.Code})",
        TlogProofCheck.NoLogSignature n =>
            $"the checkpoint of '{n.Origin}' is not signed by a trusted log key (a witness's cosignature never replaces the log's signature); trusted keys that signed: {string.Join(", ", n.SignedBy)}",
        TlogProofCheck.PolicyRejected p => $"{p.Policy.Code}: {p.Policy.Describe()}",
        TlogProofCheck.OriginMismatch o => $"the receipt is for '{o.Actual}', not '{o.Expected}'",
        TlogProofCheck.InclusionFailed f => f.Failure.Message,
        TlogProofCheck.EntryMismatch m => m.Reason,
        TlogProofCheck.NoEntry => "the receipt carries no entry",
        TlogProofCheck.Malformed m => m.Reason,
        _ => check.Code,
    };
}
