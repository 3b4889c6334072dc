using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Ledger.Domain.Notes;

namespace Ledger.Application.Witnessing;

/// <summary>The witnessed logs, checked: each origin once, each with at least one log verifier key.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class WitnessConfiguration
{
    private readonly Dictionary<string, NoteVerifierSet> _logs;

    private WitnessConfiguration(Dictionary<string, NoteVerifierSet> logs) => _logs = logs;

    /// <summary>The witnessed origins, in configuration order.</summary>
    public IReadOnlyCollection<string> Origins => _logs.Keys;

    /// <summary>The keys trusted for <paramref name="origin"/>; false when the origin is not witnessed.</summary>
    public bool TryGetKeys(string origin, [NotNullWhen(true)] out NoteVerifierSet? keys) => _logs.TryGetValue(origin, out keys);

    /// <summary>Checks the configuration.</summary>
    /// <exception cref="InvalidOperationException">One line naming the offending configuration key and why.</exception>
    public static WitnessConfiguration From(WitnessOptions options) =>
        TryCreate(options, out var configuration, out var problem) ? configuration : throw new InvalidOperationException(problem);

    /// <summary>What is wrong with the configuration, as one line naming the offending key; null when it is valid.</summary>
    public static string? Problem(WitnessOptions options) => TryCreate(options, out _, out var problem) ? null : problem;

    private static bool TryCreate(WitnessOptions options, [NotNullWhen(true)] out WitnessConfiguration? configuration, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        configuration = null;
        var logs = new Dictionary<string, NoteVerifierSet>(StringComparer.Ordinal);
        for (var i = 0; i < options.Logs.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"Ledger:Witness:Logs:{i}");
            var log = options.Logs[i];
            var origin = log.Origin;
            if (string.IsNullOrEmpty(origin) || !Checkpoint.TryParse(origin + "\n0\n" + Convert.ToBase64String(new byte[Checkpoint.HashSize]) + "\n", out _, out _))
            {
                problem = $"{at}:Origin must be a checkpoint origin line (non-empty, no control characters), not '{origin}'.";
                return false;
            }

            if (logs.ContainsKey(origin))
            {
                problem = $"{at}:Origin '{origin}' is configured twice.";
                return false;
            }

            if (log.Keys.Count == 0)
            {
                problem = $"{at}:Keys must list at least one verifier key of the log '{origin}'.";
                return false;
            }

            var verifiers = new List<NoteVerifier>();
            for (var k = 0; k < log.Keys.Count; k++)
            {
                var keyAt = string.Create(CultureInfo.InvariantCulture, $"{at}:Keys:{k}");
                if (!NoteVerifier.TryParse(log.Keys[k] ?? string.Empty, out var verifier, out var error))
                {
                    problem = $"{keyAt} is not a verifier key (name+hex(id)+base64(type ‖ key)): {error}";
                    return false;
                }

                if (verifier.SignatureType == NoteSignatureType.CosignatureV1)
                {
                    problem = $"{keyAt} is a cosignature/v1 (witness) key, not a log key.";
                    return false;
                }

                if (verifiers.Any(v => v.Name == verifier.Name && v.KeyId == verifier.KeyId))
                {
                    problem = $"{keyAt} repeats the key '{verifier.Name}' with key id {verifier.KeyId.ToString("x8", CultureInfo.InvariantCulture)}.";
                    return false;
                }

                verifiers.Add(verifier);
            }

            logs.Add(origin, new NoteVerifierSet(verifiers));
        }

        configuration = new WitnessConfiguration(logs);
        problem = null;
        return true;
    }
}
