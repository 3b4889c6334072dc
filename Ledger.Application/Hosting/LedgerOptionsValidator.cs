using System.Globalization;
using Ledger.Domain.Notes;
using Ledger.Store;
using Microsoft.Extensions.Options;

namespace Ledger.Application.Hosting;

/// <summary>
/// Checks a node's <see cref="LedgerOptions"/> before anything is created: the origin (DESIGN §4), the key name, the
/// key algorithm, the engine and its connection string, and the intervals and limits. Each failure is one sentence
/// naming the setting, the offending value and what is allowed.
/// </summary>
public sealed partial class LedgerOptionsValidator : IValidateOptions<LedgerOptions>
{
    /// <summary>The key algorithms a new ledger key may have.</summary>
    public static readonly IReadOnlyList<string> KeyAlgorithms = ["ed25519", "ecdsa-p256"];

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LedgerOptions options)
    {
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every failure, in the order of the settings; empty when the options are valid.</summary>
    public static IReadOnlyList<string> Check(LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!LogOrigin.IsValid(options.Origin, out var originError))
        {
            failures.Add("Ledger:Origin: " + originError);
        }

        if (options.KeyName is not null && !LogOrigin.IsValidKeyName(options.KeyName, out var keyNameError))
        {
            failures.Add("Ledger:KeyName: " + keyNameError);
        }

        if (!KeyAlgorithms.Contains(options.KeyAlgorithm, StringComparer.Ordinal))
        {
            failures.Add($"Ledger:KeyAlgorithm: '{options.KeyAlgorithm}' is not one of {string.Join(", ", KeyAlgorithms)}");
        }

        if (options.Engine is not (StoreOptions.Sqlite or StoreOptions.Postgres))
        {
            failures.Add($"Ledger:Engine: '{options.Engine}' is not one of {StoreOptions.Sqlite}, {StoreOptions.Postgres}");
        }
        else if (options.Engine == StoreOptions.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("Ledger:ConnectionString: required for the postgres engine");
        }

        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            failures.Add("Ledger:DataDir: empty");
        }

        failures.AddRange(Witnessing.WitnessTargets.Check(options));
        if (Witnessing.WitnessConfiguration.Problem(options.Witness) is { } witnessedLogs)
        {
            failures.Add(witnessedLogs);
        }

        failures.AddRange(Federation.PeerDirectory.Check(options));
        failures.AddRange(HomeDomainProblems(options));
        return failures;
    }

    /// <summary>The form of a domain name in an append (docs/API.md), which a home domain's publications must pass.</summary>
    public static bool IsDomainName(string domain) => DomainPattern().IsMatch(domain);

    private static IEnumerable<string> HomeDomainProblems(LedgerOptions options)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var domain in options.HomeDomains)
        {
            if (domain is null || !IsDomainName(domain))
            {
                yield return $"Ledger:HomeDomains: '{domain}' is not a domain name (1 to 128 characters of lowercase letters, digits and . _ : -, starting with a letter or digit)";
                continue;
            }

            if (!seen.Add(domain))
            {
                yield return $"Ledger:HomeDomains: domain '{domain}' is listed twice";
                continue;
            }

            for (var i = 0; i < options.Peers.Count; i++)
            {
                if (options.Peers[i].HomeDomains.Contains(domain, StringComparer.Ordinal))
                {
                    yield return string.Create(CultureInfo.InvariantCulture,
                        $"Ledger:HomeDomains: domain '{domain}' is also a home domain of peer '{options.Peers[i].Origin}' (Ledger:Peers:{i}:HomeDomains); a domain has one home ledger");
                }
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9._:-]{0,127}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex DomainPattern();
}
