using System.CommandLine;
using System.Globalization;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;

namespace Ledger.Cli.Log;

/// <summary>
/// <c>ledger receipt</c>: fetch an entry's tlog-proof@v1 receipt, and verify it offline against trusted ledger keys.
/// </summary>
internal static class ReceiptCommand
{
    public static Command Build(CliHost host, GlobalOptions global)
    {
        var position = new Argument<long?>("position") { Description = "The entry's position (fetch its receipt from the ledger).", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file") { Description = "Read a saved receipt instead of fetching one (no server needed)." };
        var output = new Option<string?>("--out") { Description = "Save the receipt to this file." };
        var verify = new Option<bool>("--verify") { Description = "Verify the receipt offline: signature, inclusion, and the entry's origin and position." };
        var trust = new Option<string[]>("--trust")
        {
            Description = "A trusted ledger verifier key (vkey text, or a file holding it); repeat for several. Implies --verify.",
        };
        var policyFile = new Option<string?>("--policy")
        {
            Description = "A C2SP tlog-policy file: its logs are trusted (as --trust) and the checkpoint must carry witness cosignatures meeting its quorum. Implies --verify.",
        };
        var origin = new Option<string?>("--origin") { Description = "The ledger origin the receipt must be for (default: any origin a trusted key signs)." };
        var command = new Command("receipt", "Fetch (or read) an entry's receipt and optionally verify it offline.")
        {
            position, file, output, verify, trust, policyFile, origin,
        };
        CommandActions.Set(command, host, async (parse, ct) =>
        {
            var at = parse.GetValue(position);
            var path = parse.GetValue(file);
            if (at is null == path is null)
            {
                throw CliException.Usage("Give either a POSITION to fetch or --file RECEIPT to read, not both.");
            }

            var trusted = parse.GetValue(trust) ?? [];
            var policyPath = parse.GetValue(policyFile);
            var check = parse.GetValue(verify) || trusted.Length > 0 || policyPath is not null;
            if (check && trusted.Length == 0 && policyPath is null)
            {
                throw CliException.Usage("--verify needs at least one --trust VKEY (the ledger's verifier key, obtained out of band) or a --policy FILE.");
            }

            var verifiers = check ? ReadTrusted(trusted) : null;
            var policy = policyPath is null ? null : ReadPolicy(policyPath, verifiers!);
            var outPath = parse.GetValue(output);
            if (outPath is not null)
            {
                InputFiles.RequireAbsent(outPath);
            }

            string text;
            if (path is not null)
            {
                text = InputFiles.ReadAllText(path, "receipt file");
            }
            else
            {
                if (at < 0)
                {
                    throw CliException.Usage(string.Create(CultureInfo.InvariantCulture, $"The position must be at least 0, not {at}."));
                }

                using var client = new LedgerClient(host, global.Resolve(parse, host));
                text = await client.GetTextAsync(string.Create(CultureInfo.InvariantCulture, $"v1/log/receipt/{at}"), authenticate: false, ct)
                    .ConfigureAwait(false);
            }

            if (outPath is not null)
            {
                await File.WriteAllTextAsync(outPath, text, ct).ConfigureAwait(false);
                await host.Error.WriteLineAsync($"wrote {outPath}").ConfigureAwait(false);
            }
            else if (!check)
            {
                await host.Output.WriteAsync(text).ConfigureAwait(false);
            }

            return check ? await VerifyAsync(host, text, verifiers!, policy, parse.GetValue(origin), at).ConfigureAwait(false) : ExitCodes.Ok;
        });
        return command;
    }

    private static NoteVerifierSet ReadTrusted(IEnumerable<string> values)
    {
        var verifiers = new List<NoteVerifier>();
        foreach (var value in values)
        {
            var text = File.Exists(value) ? InputFiles.ReadAllText(value, "trusted key file").Trim() : value.Trim();
            if (!NoteVerifier.TryParse(text, out var verifier, out var error))
            {
                throw CliException.Usage($"--trust '{value}' is not a verifier key (name+hexid+base64): {error}");
            }

            verifiers.Add(verifier);
        }

        try
        {
            return new NoteVerifierSet(verifiers);
        }
        catch (ArgumentException e)
        {
            throw CliException.Usage(e.Message);
        }
    }

    private static TlogPolicy ReadPolicy(string path, NoteVerifierSet trusted)
    {
        var text = InputFiles.ReadAllText(path, "policy file");
        TlogPolicy policy;
        try
        {
            policy = TlogPolicy.Parse(text).WithLogs(trusted);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw CliException.Usage($"--policy '{path}': {e.Message}");
        }

        return policy.Logs.Count > 0
            ? policy
            : throw CliException.Usage($"--policy '{path}' lists no log and no --trust key is given: no checkpoint could be accepted.");
    }

    private static async Task<int> VerifyAsync(CliHost host, string text, NoteVerifierSet trusted, TlogPolicy? policy, string? origin, long? expectedPosition)
    {
        if (!TlogProof.TryParse(text, out var proof, out var parseError))
        {
            await host.Error.WriteLineAsync("receipt does NOT verify: receipt-malformed: " + parseError).ConfigureAwait(false);
            return ExitCodes.VerificationFailed;
        }

        TlogProofCheck result;
        try
        {
            result = policy is null
                ? proof.VerifyLedgerEntry(trusted, origin ?? proof.Checkpoint.Origin)
                : proof.VerifyLedgerEntry(policy, origin ?? proof.Checkpoint.Origin, host.Time.GetUtcNow());
        }
        catch (PlatformNotSupportedException e)
        {
            throw CliException.Usage("Cannot verify on this machine: " + e.Message);
        }

        if (result is not TlogProofCheck.Verified verified)
        {
            await host.Error.WriteLineAsync("receipt does NOT verify: " + Describe(result)).ConfigureAwait(false);
            return ExitCodes.VerificationFailed;
        }

        if (expectedPosition is { } p && p != verified.Index)
        {
            await host.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"receipt does NOT verify: it is for position {verified.Index}, not the requested {p}")).ConfigureAwait(false);
            return ExitCodes.VerificationFailed;
        }

        var entry = LedgerEntry.Parse(proof.Extra!.Value.Span);
        var signers = string.Join(", ", verified.Signatures.VerifiedSignatures.Select(s => s.Name).Distinct(StringComparer.Ordinal));
        await host.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"""
            verified: position {verified.Index} is in the log {verified.Checkpoint.Origin} at size {verified.Checkpoint.Size}, signed by {signers}
              root   {Convert.ToBase64String(verified.Checkpoint.RootHash.Span)}
              leaf   {Convert.ToBase64String(verified.LeafHash)}
              entry  {entry.Stream} v{entry.StreamVersion} {entry.Type} {entry.EventId} (emitter {entry.Emitter}, recorded {entry.RecordedAt.UtcDateTime.ToString(LedgerEntry.RecordedAtFormat, CultureInfo.InvariantCulture)})
            """)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static string Describe(TlogProofCheck check) => check switch
    {
        TlogProofCheck.CheckpointRejected r => $"{r.Code}: the checkpoint is not signed by a trusted key ({r.Note.Code})",
        TlogProofCheck.NoLogSignature n =>
            $"{n.Code}: the checkpoint of '{n.Origin}' is not signed by a trusted log key (a witness's cosignature never replaces the log's signature); trusted keys that signed: {string.Join(", ", n.SignedBy)}",
        TlogProofCheck.PolicyRejected p => $"{p.Code}: {p.Policy.Code}: {p.Policy.Describe()}",
        TlogProofCheck.OriginMismatch o => $"{o.Code}: the receipt is for '{o.Actual}', not '{o.Expected}'",
        TlogProofCheck.InclusionFailed f => $"{f.Code}: {f.Failure.Message}",
        TlogProofCheck.EntryMismatch m => $"{m.Code}: {m.Reason}",
        TlogProofCheck.NoEntry n => $"{n.Code}: the receipt carries no entry",
        TlogProofCheck.Malformed m => $"{m.Code}: {m.Reason}",
        _ => check.Code,
    };
}
