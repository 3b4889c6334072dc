using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ledger.Domain.Notes;

namespace Ledger.Verifier;

/// <summary>The <c>ledger-verify</c> command line: verifies an export bundle offline. See <see cref="VerifierArguments.Usage"/>.</summary>
/// <remarks><see cref="Run"/> does the work and is what tests call; <see cref="Main"/> only binds it to the console.</remarks>
public static class Program
{
    private const long ProgressThreshold = 64L * 1024 * 1024;

    /// <summary>The process entry point.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error, Console.IsErrorRedirected);

    /// <summary>Runs the verifier: parses <paramref name="args"/>, verifies, writes the report.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="stdout">Where the report goes.</param>
    /// <param name="stderr">Where errors (and progress, when <paramref name="stderrIsRedirected"/> is false) go.</param>
    /// <param name="stderrIsRedirected">Whether <paramref name="stderr"/> is not a terminal: no progress is shown then.</param>
    /// <returns>The exit code: 0 valid, 1 invalid, 2 unusable input or bad arguments.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool stderrIsRedirected = true)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            return RunChecked(args, stdout, stderr, stderrIsRedirected);
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("LEDGER_VERIFY_TRACE") is null)
        {
            stderr.WriteLine($"ledger-verify: internal error ({e.GetType().Name}): {e.Message}");
            stderr.WriteLine("  (set LEDGER_VERIFY_TRACE=1 to see where)");
            return (int)VerificationOutcome.Unusable;
        }
    }

    private static int RunChecked(string[] args, TextWriter stdout, TextWriter stderr, bool stderrIsRedirected)
    {
        if (!VerifierArguments.TryParse(args ?? [], out var parsed, out var error))
        {
            stderr.WriteLine("ledger-verify: " + error);
            stderr.WriteLine(VerifierArguments.Usage);
            return (int)VerificationOutcome.Unusable;
        }

        if (parsed.Help)
        {
            stdout.WriteLine(VerifierArguments.Usage);
            return 0;
        }

        if (parsed.Version)
        {
            stdout.WriteLine("ledger-verify " + VersionText());
            return 0;
        }

        var trusted = new List<NoteVerifier>();
        foreach (var given in parsed.TrustedKeys)
        {
            // A key's text, or a file holding it (as `curl …/v1/log/key > ledger.vkey` writes it).
            string vkey;
            try
            {
                vkey = File.Exists(given) ? File.ReadAllText(given).Trim() : given;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"ledger-verify: --trust '{given}': cannot read the key file: {e.Message}");
                return (int)VerificationOutcome.Unusable;
            }

            if (!NoteVerifier.TryParse(vkey, out var verifier, out var problem))
            {
                stderr.WriteLine($"ledger-verify: --trust '{given}' is not a verifier key (nor a file holding one): {problem}");
                return (int)VerificationOutcome.Unusable;
            }

            if (trusted.Any(t => t.Name == verifier.Name && t.KeyId == verifier.KeyId))
            {
                stderr.WriteLine($"ledger-verify: --trust '{given}' is given twice");
                return (int)VerificationOutcome.Unusable;
            }

            trusted.Add(verifier);
        }

        var policies = new List<(string File, TlogPolicy Policy)>();
        foreach (var file in parsed.PolicyFiles)
        {
            try
            {
                policies.Add((file, TlogPolicy.Parse(File.ReadAllText(file)).WithLogs(trusted)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
            {
                stderr.WriteLine(e is FormatException or ArgumentException
                    ? $"ledger-verify: --policy {file}: {e.Message}"
                    : $"ledger-verify: cannot read the policy '{file}': {e.Message}");
                return (int)VerificationOutcome.Unusable;
            }

            if (policies[^1].Policy.Logs.Count == 0)
            {
                stderr.WriteLine($"ledger-verify: --policy {file} lists no log and no --trust key is given: no checkpoint could be accepted");
                return (int)VerificationOutcome.Unusable;
            }
        }

        TlogPolicy keysOnly;
        try
        {
            keysOnly = TlogPolicy.ForLogs(trusted);
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"ledger-verify: --trust: {e.Message}");
            return (int)VerificationOutcome.Unusable;
        }

        // The policy a ledger's checkpoints must meet: the one that lists its log; with a single policy file, that one
        // (as for one bundle); else the --trust keys alone.
        TlogPolicy? Listing(string? origin) => policies.FirstOrDefault(p => p.Policy.Logs.Any(l => l.Key.Name == origin)).Policy;
        TlogPolicy PolicyFor(string? origin) => Listing(origin) ?? (policies.Count == 1 ? policies[0].Policy : keysOnly);

        var settings = new VerifierSettings { HashesOnly = parsed.HashesOnly };
        if (parsed.Threads is { } threads)
        {
            settings = settings with { DegreeOfParallelism = threads };
        }

        if (parsed.FromCheckpoint is { } heldFile)
        {
            byte[] heldBytes;
            try
            {
                heldBytes = File.ReadAllBytes(heldFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"ledger-verify: cannot read the saved checkpoint '{heldFile}': {e.Message}");
                return (int)VerificationOutcome.Unusable;
            }

            if (!HeldCheckpoint.TryRead(heldBytes, PolicyFor(null), out var held, out var heldError))
            {
                stderr.WriteLine($"ledger-verify: --from-checkpoint {heldFile}: {heldError}");
                return (int)VerificationOutcome.Unusable;
            }

            settings = settings with { From = held };
        }

        var audited = new List<AuditedBundle>();
        var exitCode = 0;
        foreach (var path in parsed.Bundles)
        {
            Stream input;
            try
            {
                input = Open(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                stderr.WriteLine($"ledger-verify: cannot read '{path}': {e.Message}");
                return (int)VerificationOutcome.Unusable;
            }

            VerificationReport report;
            using (input)
            {
                var origin = parsed.Bundles.Count > 1 ? PeekOrigin(path) : null;
                var progress = stderrIsRedirected || !input.CanSeek || input.Length < ProgressThreshold ? null : Progress(stderr, input.Length);
                report = new BundleVerifier(PolicyFor(origin), settings).Verify(input, progress);
                if (progress is not null)
                {
                    stderr.Write("\r" + new string(' ', 80) + "\r");
                }
            }

            var name = path == "-" ? "(standard input)" : path;
            audited.Add(new AuditedBundle(name, report.Header?.Origin ?? string.Empty, report));
            exitCode = Math.Max(exitCode, report.ExitCode);
        }

        // Cross-ledger checks: every federation.parent-attested.v1 against the peer's trusted key and policy, and
        // against the peer's own bundle when it is one of those given.
        var trustedOrigins = trusted.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var federation = parsed.HashesOnly ? null : new FederationAudit(origin =>
                Listing(origin) ?? (trustedOrigins.Contains(origin) ? TlogPolicy.ForLogs(trusted.Where(t => t.Name == origin)) : null))
            .Check(audited, bundle => parsed.Bundles[audited.IndexOf(bundle)] is var path && path != "-" ? Open(path) : null);
        if (federation is { Failed: true })
        {
            exitCode = Math.Max(exitCode, (int)VerificationOutcome.Invalid);
        }

        if (parsed.SaveCheckpoint is { } saveFile && SaveHeld(saveFile, audited[0].Report, stderr) is { } saveFailed)
        {
            exitCode = Math.Max(exitCode, saveFailed);
        }

        if (parsed.Json)
        {
            using var buffer = new MemoryStream();
            ReportWriter.WriteJson(buffer, audited, federation);
            stdout.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        }
        else
        {
            ReportWriter.WriteText(stdout, audited, federation);
        }

        stdout.Flush();
        return exitCode;
    }

    // Writes the saved checkpoint (to a temporary file, then moved into place, so a crash never leaves half a file);
    // nothing when the bundle was not valid. Null when done or not owed, else the exit code.
    private static int? SaveHeld(string file, VerificationReport report, TextWriter stderr)
    {
        if (report.LastCheckpoint is not { } held)
        {
            stderr.WriteLine(report.Outcome == VerificationOutcome.Valid
                ? $"ledger-verify: --save-checkpoint: not saved: only a full bundle whose entries end at its last checkpoint can be continued from"
                : $"ledger-verify: --save-checkpoint: not saved: the bundle is not valid");
            return report.Outcome == VerificationOutcome.Valid ? (int)VerificationOutcome.Unusable : null;
        }

        try
        {
            var temporary = file + ".tmp";
            File.WriteAllBytes(temporary, held.ToJson());
            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"ledger-verify: --save-checkpoint: cannot write '{file}': {e.Message}");
            return (int)VerificationOutcome.Unusable;
        }

        stderr.WriteLine(FormattableString.Invariant($"ledger-verify: saved the checkpoint of size {held.Size} to {file}; the next audit verifies GET /v1/export?from={held.Size} with --from-checkpoint {file}"));
        return null;
    }

    private static Stream Open(string path) => path == "-"
        ? Console.OpenStandardInput()
        : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);

    // The origin a bundle's header names, to pick its policy; null when the header cannot be read (the verification
    // then reports why).
    private static string? PeekOrigin(string path)
    {
        try
        {
            using var stream = Open(path);
            using var reader = new Ledger.Domain.Bundles.BundleReader(stream);
            return (reader.Read() as Ledger.Domain.Bundles.BundleHeader)?.Origin;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Ledger.Domain.Bundles.BundleFormatException)
        {
            return null;
        }
    }

    /// <summary>One progress line: the share read, the byte rate so far, and the time left at that rate.</summary>
    internal static string ProgressText(long read, long total, TimeSpan elapsed)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        var rate = read / seconds;
        var left = rate <= 0 ? "unknown" : Duration(TimeSpan.FromSeconds((total - read) / rate));
        return string.Create(CultureInfo.InvariantCulture,
            $"verifying: {100.0 * read / total:0.0}% of {total / (1024 * 1024)} MiB, {rate / (1024 * 1024):0} MiB/s, about {left} left");
    }

    private static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes:00}m")
        : span.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(span.TotalSeconds):0}s");

    private static Action<long> Progress(TextWriter stderr, long total)
    {
        var clock = Stopwatch.StartNew();
        var next = TimeSpan.Zero;
        return read =>
        {
            if (clock.Elapsed < next)
            {
                return;
            }

            next = clock.Elapsed + TimeSpan.FromMilliseconds(500);
            stderr.Write("\r" + ProgressText(read, total, clock.Elapsed) + "   ");
            stderr.Flush();
        };
    }

    // The informational version the build stamps (e.g. 1.0.0+<commit>), else the assembly version.
    private static string VersionText()
    {
        var assembly = typeof(Program).Assembly;
        return assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
