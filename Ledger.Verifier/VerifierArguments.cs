using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ledger.Verifier;

/// <summary>The parsed command line: <c>BUNDLE [BUNDLE…] --trust VKEY [--trust VKEY…] [--policy FILE…] [--json] [--hashes-only] [--threads N]</c>.</summary>
/// <remarks>Hand-parsed (the verifier references the BCL only). Immutable.</remarks>
public sealed record VerifierArguments
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: ledger-verify BUNDLE [BUNDLE ...] --trust VKEY [--trust VKEY ...] [--policy FILE ...] [--json] [--hashes-only] [--threads N]
                             [--from-checkpoint FILE] [--save-checkpoint FILE]
               ledger-verify --version | --help

          BUNDLE         the export bundle file, or - to read it from standard input; several bundles
                         (of the ledgers of one federation) are each verified, then every cross-ledger
                         decision they record (federation.parent-attested.v1) is checked against the
                         peer's trusted key and policy, and against the peer's own bundle when given
          --trust VKEY   a checkpoint key to trust, as a signed-note verifier key (name+hexid+base64),
                         e.g. the text GET /v1/log/key returns, or a file holding one (such as
                         ledger.vkey); repeat for several. Keys in the bundle
                         are never trusted. A log key: a witness's cosignature key (type 0x04)
                         never stands for the log's own signature.
          --policy FILE  a C2SP tlog-policy file: its log lines are trusted log keys (as --trust),
                         and every checkpoint must also carry witness cosignatures meeting its quorum;
                         repeat for several ledgers: each log's checkpoints must meet the policy that
                         lists that log
          --json         print one JSON document instead of the human report
          --hashes-only  check only hashes, proofs and checkpoint signatures (no parsing, emitter
                         signatures, chains or lifecycle replay)
          --threads N    parse and verify entries on N threads (default: the processor count)
          --from-checkpoint FILE
                         start from the checkpoint a previous audit saved: the bundle must be a full
                         export from its size (GET /v1/export?from=SIZE), and is linked to it
          --save-checkpoint FILE
                         after a valid verification of a full bundle, save its last checkpoint and the
                         tree's compact range there, for the next audit's --from-checkpoint
          --version      print the verifier's version

        exit status: 0 valid, 1 invalid, 2 unusable input or bad arguments
        """;

    /// <summary>The bundle paths, or the one <c>-</c> for standard input.</summary>
    public required IReadOnlyList<string> Bundles { get; init; }

    /// <summary>The tlog-policy files given with <c>--policy</c>.</summary>
    public IReadOnlyList<string> PolicyFiles { get; init; } = [];

    /// <summary>The trusted vkeys as given.</summary>
    public required IReadOnlyList<string> TrustedKeys { get; init; }

    /// <summary>The saved checkpoint to start from (<c>--from-checkpoint</c>), or null.</summary>
    public string? FromCheckpoint { get; init; }

    /// <summary>Where to save the last verified checkpoint (<c>--save-checkpoint</c>), or null.</summary>
    public string? SaveCheckpoint { get; init; }

    /// <summary>Whether to print JSON.</summary>
    public bool Json { get; init; }

    /// <summary>Whether to check hashes only.</summary>
    public bool HashesOnly { get; init; }

    /// <summary>Worker threads, or null for the default.</summary>
    public int? Threads { get; init; }

    /// <summary>Whether help was asked for.</summary>
    public bool Help { get; init; }

    /// <summary>Whether the version was asked for.</summary>
    public bool Version { get; init; }

    /// <summary>Parses the arguments; false and a message when they are not usable.</summary>
    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out VerifierArguments? parsed, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        parsed = null;
        var bundles = new List<string>();
        var keys = new List<string>();
        bool json = false, hashesOnly = false;
        int? threads = null;
        var policies = new List<string>();
        string? fromCheckpoint = null, saveCheckpoint = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-h" or "--help":
                    parsed = new VerifierArguments { Bundles = [], TrustedKeys = [], Help = true };
                    error = null;
                    return true;
                case "--version":
                    parsed = new VerifierArguments { Bundles = [], TrustedKeys = [], Version = true };
                    error = null;
                    return true;
                case "--json":
                    json = true;
                    break;
                case "--hashes-only":
                    hashesOnly = true;
                    break;
                case "--from-checkpoint" or "--save-checkpoint":
                    if (i + 1 >= args.Count)
                    {
                        error = $"{arg} needs a file";
                        return false;
                    }

                    if ((arg == "--from-checkpoint" ? fromCheckpoint : saveCheckpoint) is not null)
                    {
                        error = $"{arg} is given twice";
                        return false;
                    }

                    if (arg == "--from-checkpoint")
                    {
                        fromCheckpoint = args[++i];
                    }
                    else
                    {
                        saveCheckpoint = args[++i];
                    }

                    break;
                case "--trust" or "--threads" or "--policy":
                    if (i + 1 >= args.Count)
                    {
                        error = $"{arg} needs a value";
                        return false;
                    }

                    var value = args[++i];
                    if (arg == "--trust")
                    {
                        keys.Add(value);
                    }
                    else if (arg == "--policy")
                    {
                        if (policies.Contains(value, StringComparer.Ordinal))
                        {
                            error = $"--policy '{value}' is given twice";
                            return false;
                        }

                        policies.Add(value);
                    }
                    else if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 256)
                    {
                        threads = n;
                    }
                    else
                    {
                        error = $"--threads takes a number from 1 to 256, not '{value}'";
                        return false;
                    }

                    break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal))
                    {
                        error = $"unknown option '{arg}'";
                        return false;
                    }

                    if (bundles.Contains(arg, StringComparer.Ordinal))
                    {
                        error = $"the bundle '{arg}' is given twice";
                        return false;
                    }

                    bundles.Add(arg);
                    break;
            }
        }

        if (bundles.Count == 0)
        {
            error = "no bundle given";
            return false;
        }

        if (bundles.Count > 1 && bundles.Contains("-"))
        {
            error = "standard input (-) can only be verified alone: give the bundles as files";
            return false;
        }

        if (bundles.Count > 1 && (fromCheckpoint ?? saveCheckpoint) is not null)
        {
            error = "--from-checkpoint and --save-checkpoint take one bundle";
            return false;
        }

        if (keys.Count == 0 && policies.Count == 0)
        {
            error = "no --trust key given: the verifier checks checkpoint signatures only against keys you trust, never against keys in the bundle (give --trust VKEY or --policy FILE)";
            return false;
        }

        parsed = new VerifierArguments { Bundles = bundles, TrustedKeys = keys, PolicyFiles = policies, FromCheckpoint = fromCheckpoint, SaveCheckpoint = saveCheckpoint, Json = json, HashesOnly = hashesOnly, Threads = threads };
        error = null;
        return true;
    }
}
