using System.CommandLine;
using System.Globalization;
using Ledger.Client;
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

                using var client = LedgerClients.Create(host, global.Resolve(parse, host));
                text = await LedgerClients.CallAsync(() => client.GetReceiptAsync(at!.Value, ct)).ConfigureAwait(false);
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

    // Each --trust is a verifier key or a file holding one, as in ledger-verify.
    private static NoteVerifierSet ReadTrusted(IEnumerable<string> values)
    {
        try
        {
            return ReceiptVerifier.ReadTrustedKeys(values);
        }
        catch (ArgumentException e)
        {
            throw CliException.Usage("--trust " + e.Message);
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
        VerifiedReceipt verified;
        try
        {
            verified = policy is null
                ? ReceiptVerifier.Verify(text, trusted, origin, expectedPosition)
                : ReceiptVerifier.Verify(text, policy, host.Time.GetUtcNow(), origin, expectedPosition);
        }
        catch (ReceiptVerificationException failure)
        {
            await host.Error.WriteLineAsync("receipt does NOT verify: " + failure.Message).ConfigureAwait(false);
            return ExitCodes.VerificationFailed;
        }
        catch (PlatformNotSupportedException e)
        {
            throw CliException.Usage("Cannot verify on this machine: " + e.Message);
        }

        var entry = verified.Entry;
        var signers = string.Join(", ", verified.SignedBy);
        await host.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"""
            verified: position {verified.Position} is in the log {verified.Checkpoint.Origin} at size {verified.Checkpoint.Size}, signed by {signers}
              root   {Convert.ToBase64String(verified.Checkpoint.RootHash.Span)}
              leaf   {Convert.ToBase64String(verified.LeafHash)}
              entry  {entry.Stream} v{entry.StreamVersion} {entry.Type} {entry.EventId} (emitter {entry.Emitter}, recorded {entry.RecordedAt.UtcDateTime.ToString(Ledger.Domain.Log.LedgerEntry.RecordedAtFormat, CultureInfo.InvariantCulture)})
            """)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
