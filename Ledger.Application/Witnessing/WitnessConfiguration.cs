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
    public static WitnessConfiguration From(WitnessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var logs = new Dictionary<string, NoteVerifierSet>(StringComparer.Ordinal);
        for (var i = 0; i < options.Logs.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"Ledger:Witness:Logs:{i}");
            var log = options.Logs[i];
            var origin = log.Origin;
            if (string.IsNullOrEmpty(origin) || !Checkpoint.TryParse(origin + "\n0\n" + Convert.ToBase64String(new byte[Checkpoint.HashSize]) + "\n", out _, out _))
            {
                throw new InvalidOperationException($"{at}:Origin must be a checkpoint origin line (non-empty, no control characters), not '{origin}'.");
            }

            if (logs.ContainsKey(origin))
            {
                throw new InvalidOperationException($"{at}:Origin '{origin}' is configured twice.");
            }

            if (log.Keys.Count == 0)
            {
                throw new InvalidOperationException($"{at}:Keys must list at least one verifier key of the log '{origin}'.");
            }

            var verifiers = new List<NoteVerifier>();
            for (var k = 0; k < log.Keys.Count; k++)
            {
                var keyAt = string.Create(CultureInfo.InvariantCulture, $"{at}:Keys:{k}");
                if (!NoteVerifier.TryParse(log.Keys[k] ?? string.Empty, out var verifier, out var error))
                {
                    throw new InvalidOperationException($"{keyAt} is not a verifier key (name+hex(id)+base64(type ‖ key)): {error}");
                }

                if (verifier.SignatureType == NoteSignatureType.CosignatureV1)
                {
                    throw new InvalidOperationException($"{keyAt} is a cosignature/v1 (witness) key, not a log key.");
                }

                if (verifiers.Any(v => v.Name == verifier.Name && v.KeyId == verifier.KeyId))
                {
                    throw new InvalidOperationException($"{keyAt} repeats the key '{verifier.Name}' with key id {verifier.KeyId.ToString("x8", CultureInfo.InvariantCulture)}.");
                }

                verifiers.Add(verifier);
            }

            logs.Add(origin, new NoteVerifierSet(verifiers));
        }

        return new WitnessConfiguration(logs);
    }
}
