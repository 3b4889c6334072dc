using System.Globalization;
using System.Text;
using Ledger.Domain.Notes;

namespace Ledger.Application.Witnessing;

/// <summary>
/// The ledger's trust in witnesses (DESIGN §8.1, "as a log"): the witnesses it submits its checkpoints to, and the
/// C2SP tlog-policy its receipts must meet. Either <c>Ledger:WitnessPolicy</c> (a policy file naming this log's key,
/// the witnesses with their URLs, groups and the quorum) or <c>Ledger:Witnesses</c> (a list of witnesses, read as a
/// policy with <c>quorum none</c>).
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class WitnessTargets
{
    private WitnessTargets(TlogPolicy? policy, IReadOnlyList<WitnessTarget> targets)
    {
        Policy = policy;
        Targets = targets;
    }

    /// <summary>No witness configured.</summary>
    public static WitnessTargets None { get; } = new(null, []);

    /// <summary>The policy, or null when no witness is configured.</summary>
    public TlogPolicy? Policy { get; }

    /// <summary>The witnesses submitted to (those of the policy that have a URL), in configuration order.</summary>
    public IReadOnlyList<WitnessTarget> Targets { get; }

    /// <summary>Whether receipts wait for a checkpoint whose cosignatures meet a quorum.</summary>
    public bool RequiresQuorum => Policy?.RequiresWitnesses == true;

    /// <summary>Checks the settings that need no key or file content (for <see cref="Hosting.LedgerOptionsValidator"/>).</summary>
    public static IEnumerable<string> Check(Hosting.LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.WitnessPolicy) && options.Witnesses.Count > 0)
        {
            yield return "Ledger:WitnessPolicy and Ledger:Witnesses are both set; configure the witnesses in one of them";
        }

        if (!string.IsNullOrEmpty(options.WitnessPolicy) && !File.Exists(options.WitnessPolicy))
        {
            yield return $"Ledger:WitnessPolicy: no file '{options.WitnessPolicy}'";
        }

        if (options.WitnessInterval <= TimeSpan.Zero || options.WitnessTimeout <= TimeSpan.Zero)
        {
            yield return $"Ledger:WitnessInterval and Ledger:WitnessTimeout must be positive, not {options.WitnessInterval} and {options.WitnessTimeout}";
        }
    }

    /// <summary>Reads the configured witnesses for the log signed by <paramref name="logKey"/>.</summary>
    /// <exception cref="InvalidOperationException">One line naming the setting (and the policy line) and what is wrong.</exception>
    public static WitnessTargets From(Hosting.LedgerOptions options, NoteVerifier logKey)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logKey);
        string setting;
        string text;
        if (!string.IsNullOrEmpty(options.WitnessPolicy))
        {
            setting = "Ledger:WitnessPolicy";
            text = File.ReadAllText(options.WitnessPolicy);
        }
        else if (options.Witnesses.Count > 0)
        {
            setting = "Ledger:Witnesses";
            text = PolicyOf(options.Witnesses, logKey);
        }
        else
        {
            return None;
        }

        TlogPolicy policy;
        try
        {
            policy = TlogPolicy.Parse(text);
        }
        catch (FormatException e)
        {
            throw new Hosting.LedgerConfigurationException($"{setting}: {e.Message}", e);
        }

        if (!policy.Logs.Any(l => l.Key.VerifierKey == logKey.VerifierKey))
        {
            throw new Hosting.LedgerConfigurationException($"{setting}: the policy does not list this ledger's log key '{logKey.VerifierKey}' on a 'log' line");
        }

        var targets = new List<WitnessTarget>();
        foreach (var witness in policy.Witnesses.Where(w => w.Url is not null))
        {
            if (!Uri.TryCreate(witness.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new Hosting.LedgerConfigurationException($"{setting}: witness '{witness.Name}' has URL '{witness.Url}', which is not an absolute http or https URL");
            }

            targets.Add(new WitnessTarget(witness.Name, url, witness.Key));
        }

        return new WitnessTargets(policy, targets);
    }

    /// <summary>A witness list as a policy: this log, each witness, <c>quorum none</c>.</summary>
    private static string PolicyOf(List<WitnessEndpointOptions> witnesses, NoteVerifier logKey)
    {
        var text = new StringBuilder("log ").Append(logKey.VerifierKey).Append('\n');
        for (var i = 0; i < witnesses.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"Ledger:Witnesses:{i}");
            var w = witnesses[i];
            if (string.IsNullOrWhiteSpace(w.Name) || w.Name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw new Hosting.LedgerConfigurationException($"{at}:Name must be a name without spaces, not '{w.Name}'");
            }

            if (string.IsNullOrWhiteSpace(w.Url) || w.Url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw new Hosting.LedgerConfigurationException($"{at}:Url must be the witness's http(s) submission prefix, not '{w.Url}'");
            }

            if (!NoteVerifier.TryParse(w.Key ?? string.Empty, out _, out var error))
            {
                throw new Hosting.LedgerConfigurationException($"{at}:Key is not a verifier key (name+hex(id)+base64(type ‖ key)): {error}");
            }

            text.Append(CultureInfo.InvariantCulture, $"witness {w.Name} {w.Key} {w.Url}\n");
        }

        return text.Append("quorum none\n").ToString();
    }
}
