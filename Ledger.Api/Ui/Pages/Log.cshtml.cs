using System.Globalization;
using System.Text;
using Ledger.Application.Hosting;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;
using Ledger.Projections.Engine;
using Ledger.Projections.Reading;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ledger.Api.Ui.Pages;

/// <summary>
/// The log: the latest signed checkpoints with every signature on them (the ledger's, then the witnesses'
/// cosignatures the ledger kept), and a form that checks a receipt, pasted or uploaded, with the verifier code of
/// Ledger.Domain against the ledger's key (and its witness policy, when it has one).
/// </summary>
public sealed class LogModel(ProjectionEngine engine, LedgerNode node, TimeProvider time) : PageModel
{
    public const int Checkpoints = 10;

    /// <summary>The largest receipt the form reads (a receipt carries at most one 64 KiB entry and 63 hashes).</summary>
    public const int MaxReceiptBytes = 256 * 1024;

    public IReadOnlyList<(CheckpointView Checkpoint, IReadOnlyList<(NoteSignature Signature, string Kind)> Signatures)> Latest { get; private set; } = [];

    public long LogSize { get; private set; }

    public string VerifierKey => node.Signer.Verifier.VerifierKey;

    public string Origin => node.Origin;

    /// <summary>The receipt check's answer, when the form was sent.</summary>
    public ReceiptCheck? Check { get; private set; }

    public string? Pasted { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct).ConfigureAwait(false);

    public async Task<IActionResult> OnPostAsync(string? receipt, IFormFile? file, CancellationToken ct)
    {
        string? text = receipt;
        if (file is { Length: > 0 })
        {
            if (file.Length > MaxReceiptBytes)
            {
                return await AnswerAsync(ReceiptCheck.Refused($"The file is {file.Length} bytes; a receipt is at most {MaxReceiptBytes}."), ct).ConfigureAwait(false);
            }

            using var reader = new StreamReader(file.OpenReadStream(), new UTF8Encoding(false, throwOnInvalidBytes: true));
            try
            {
                text = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
            }
            catch (DecoderFallbackException)
            {
                return await AnswerAsync(ReceiptCheck.Refused("The file is not UTF-8 text; a receipt is c2sp.org/tlog-proof@v1 text."), ct).ConfigureAwait(false);
            }
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return await AnswerAsync(ReceiptCheck.Refused("Paste a receipt or choose a receipt file."), ct).ConfigureAwait(false);
        }

        if (text.Length > MaxReceiptBytes)
        {
            return await AnswerAsync(ReceiptCheck.Refused($"The receipt is {text.Length} characters; a receipt is at most {MaxReceiptBytes}."), ct).ConfigureAwait(false);
        }

        Pasted = file is { Length: > 0 } ? null : text;
        return await AnswerAsync(ReceiptCheck.Run(text.ReplaceLineEndings("\n"), node, time.GetUtcNow()), ct).ConfigureAwait(false);
    }

    private async Task<IActionResult> AnswerAsync(ReceiptCheck check, CancellationToken ct)
    {
        Check = check;
        if (!check.Verified)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        await LoadAsync(ct).ConfigureAwait(false);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        LogSize = await node.Store.GetTreeSizeAsync(ct).ConfigureAwait(false);
        var checkpoints = await engine.ReadModels.ListCheckpointsAsync(Checkpoints, ct).ConfigureAwait(false);
        var cosignatures = checkpoints.Count == 0
            ? []
            : await node.Store.ListCosignaturesAsync(checkpoints[^1].Size, checkpoints[0].Size, ct).ConfigureAwait(false);
        var ledgerKey = node.Signer.Verifier;
        Latest = [.. checkpoints.Select(c =>
        {
            var signatures = new List<(NoteSignature, string)>();
            if (SignedNote.TryParse(c.SignedNote, out var note, out _))
            {
                signatures.AddRange(note.Signatures.Select(s =>
                    (s, s.Name == ledgerKey.Name && s.KeyId == ledgerKey.KeyId ? "ledger" : "witness")));
            }

            foreach (var cosignature in cosignatures.Where(k => k.Size == c.Size))
            {
                if (SignedNote.TryParse(c.SignedNote.TrimEnd('\n') + "\n" + cosignature.SignatureLine + "\n", out var withCosignature, out _)
                    && withCosignature.Signatures[^1] is var added
                    && !signatures.Any(s => s.Item1.Equals(added)))
                {
                    signatures.Add((added, "witness " + cosignature.Witness));
                }
            }

            return (c, (IReadOnlyList<(NoteSignature, string)>)signatures);
        })];
    }

    /// <summary>The answer to a receipt check.</summary>
    public sealed record ReceiptCheck(bool Verified, string Summary, IReadOnlyList<(string Name, string Value)> Details)
    {
        public static ReceiptCheck Refused(string why) => new(false, why, []);

        public static ReceiptCheck Run(string text, LedgerNode node, DateTimeOffset now)
        {
            if (!TlogProof.TryParse(text, out var proof, out var parseError))
            {
                return Refused("receipt-malformed: " + parseError);
            }

            var policy = node.Witnesses.Policy;
            var result = policy is null
                ? proof.VerifyLedgerEntry(new NoteVerifierSet(node.Signer.Verifier), node.Origin)
                : proof.VerifyLedgerEntry(policy, node.Origin, now);
            if (result is not TlogProofCheck.Verified verified)
            {
                return Refused(Describe(result));
            }

            var entry = LedgerEntry.Parse(proof.Extra!.Value.Span);
            return new ReceiptCheck(
                true,
                string.Create(CultureInfo.InvariantCulture, $"Verified: position {verified.Index} is in the log {verified.Checkpoint.Origin} at size {verified.Checkpoint.Size}."),
                [
                    ("Signed by", string.Join(", ", verified.Signatures.VerifiedSignatures.Select(s => s.Name).Distinct(StringComparer.Ordinal))),
                    ("Root hash", Convert.ToBase64String(verified.Checkpoint.RootHash.Span)),
                    ("Leaf hash", Convert.ToBase64String(verified.LeafHash)),
                    ("Stream", string.Create(CultureInfo.InvariantCulture, $"{entry.Stream} v{entry.StreamVersion}")),
                    ("Event", $"{entry.Type} {entry.EventId}"),
                    ("Emitter", entry.Emitter),
                    ("Recorded", entry.RecordedAt.UtcDateTime.ToString(LedgerEntry.RecordedAtFormat, CultureInfo.InvariantCulture)),
                ]);
        }

        private static string Describe(TlogProofCheck check) => check switch
        {
            TlogProofCheck.CheckpointRejected r => $"{r.Code}: the checkpoint is not signed by this ledger's key ({r.Note.Code})",
            TlogProofCheck.NoLogSignature n => $"{n.Code}: the checkpoint of '{n.Origin}' is not signed by this ledger's key",
            TlogProofCheck.PolicyRejected p => $"{p.Code}: {p.Policy.Code}: {p.Policy.Describe()}",
            TlogProofCheck.OriginMismatch o => $"{o.Code}: the receipt is for the log '{o.Actual}', not this ledger's '{o.Expected}'",
            TlogProofCheck.InclusionFailed f => $"{f.Code}: {f.Failure.Message}",
            TlogProofCheck.EntryMismatch m => $"{m.Code}: {m.Reason}",
            TlogProofCheck.NoEntry n => $"{n.Code}: the receipt carries no entry",
            TlogProofCheck.Malformed m => $"{m.Code}: {m.Reason}",
            _ => check.Code,
        };
    }
}
