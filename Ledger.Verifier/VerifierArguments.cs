using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ledger.Verifier;

/// <summary>The parsed command line: <c>BUNDLE --trust VKEY [--trust VKEY…] [--json] [--hashes-only] [--threads N]</c>.</summary>
/// <remarks>Hand-parsed (the verifier references the BCL only). Immutable.</remarks>
public sealed record VerifierArguments
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: ledger-verify BUNDLE --trust VKEY [--trust VKEY ...] [--policy FILE] [--json] [--hashes-only] [--threads N]
               ledger-verify --version | --help

          BUNDLE         the export bundle file, or - to read it from standard input
          --trust VKEY   a checkpoint key to trust, as a signed-note verifier key (name+hexid+base64),
                         e.g. the text GET /v1/log/key returns, or a file holding one (such as
                         ledger.vkey); repeat for several. Keys in the bundle
                         are never trusted. A log key: a witness's cosignature key (type 0x04)
                         never stands for the log's own signature.
          --policy FILE  a C2SP tlog-policy file: its log lines are trusted log keys (as --trust),
                         and every checkpoint must also carry witness cosignatures meeting its quorum
          --json         print one JSON document instead of the human report
          --hashes-only  check only hashes, proofs and checkpoint signatures (no parsing, emitter
                         signatures, chains or lifecycle replay)
          --threads N    parse and verify entries on N threads (default: the processor count)
          --version      print the verifier's version

        exit status: 0 valid, 1 invalid, 2 unusable input or bad arguments
        """;

    /// <summary>The bundle path, or <c>-</c> for standard input.</summary>
    public required string Bundle { get; init; }

    /// <summary>The tlog-policy file given with <c>--policy</c>, or null.</summary>
    public string? PolicyFile { get; init; }

    /// <summary>The trusted vkeys as given.</summary>
    public required IReadOnlyList<string> TrustedKeys { get; init; }

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
        string? bundle = null;
        var keys = new List<string>();
        bool json = false, hashesOnly = false;
        int? threads = null;
        string? policy = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-h" or "--help":
                    parsed = new VerifierArguments { Bundle = string.Empty, TrustedKeys = [], Help = true };
                    error = null;
                    return true;
                case "--version":
                    parsed = new VerifierArguments { Bundle = string.Empty, TrustedKeys = [], Version = true };
                    error = null;
                    return true;
                case "--json":
                    json = true;
                    break;
                case "--hashes-only":
                    hashesOnly = true;
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
                        if (policy is not null)
                        {
                            error = "--policy is given twice";
                            return false;
                        }

                        policy = value;
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

                    if (bundle is not null)
                    {
                        error = $"one bundle at a time: '{bundle}' and '{arg}' were given";
                        return false;
                    }

                    bundle = arg;
                    break;
            }
        }

        if (bundle is null)
        {
            error = "no bundle given";
            return false;
        }

        if (keys.Count == 0 && policy is null)
        {
            error = "no --trust key given: the verifier checks checkpoint signatures only against keys you trust, never against keys in the bundle (give --trust VKEY or --policy FILE)";
            return false;
        }

        parsed = new VerifierArguments { Bundle = bundle, TrustedKeys = keys, PolicyFile = policy, Json = json, HashesOnly = hashesOnly, Threads = threads };
        error = null;
        return true;
    }
}
