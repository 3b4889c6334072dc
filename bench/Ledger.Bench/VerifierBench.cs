using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace Ledger.Bench;

/// <summary>
/// Verifier suite (DESIGN §10): the offline verifier's events/s and bytes/s on hash-only and on signed bundles, next to
/// the raw SHA-256 byte rate and the ECDSA P-256 verify rate measured in the same run, and its peak memory (VmHWM of the
/// verifier process) on bundles of 10^4 and 10^6 events.
/// <c>dotnet run -c Release --project bench/Ledger.Bench -- verifier [--quick] [--verifier PATH] [--keep DIR]</c>
/// (<c>--verifier</c>: a published ledger-verify to measure instead of the one built with the bench; <c>--keep</c>: leave
/// the bundles in DIR, each with its verifier key in a <c>.vkey</c> file beside it).
/// </summary>
/// <remarks>
/// Bundles are made by the simulated ledger of the verifier tests (the real Domain code: Decide, entries, Merkle tree,
/// signed checkpoints) and exported through <c>BundleExport</c>/<c>BundleWriter</c>, then verified by the
/// <c>ledger-verify</c> program as a child process, as an auditor runs it.
/// </remarks>
internal static class VerifierBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var quick = Measure.IsQuick(args);
        var verifier = Option(args, "--verifier");
        var keep = Option(args, "--keep");
        var directory = keep is null ? Directory.CreateTempSubdirectory("ledger-verifier-bench-") : Directory.CreateDirectory(keep);
        try
        {
            Console.WriteLine($"# Verifier benchmark ({(quick ? "quick" : "full")} run)");
            Console.WriteLine();
            Console.WriteLine($"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}; .NET {Environment.Version}");
            Console.WriteLine($"- verifier: {(verifier ?? "ledger-verify as built with the bench (framework-dependent)")}, run as a child process; peak memory is its VmHWM");
            Console.WriteLine($"- each verification runs {(quick ? 1 : 3)} time(s): the fastest run's rates (the least disturbed by other work), the median peak memory; limits: best of interleaved runs");
            Console.WriteLine($"- load average at the start: {LoadAverage()} (the machine is shared; rates move with it, ratios less)");
            Console.WriteLine();

            var entryBytes = 640;
            var limits = Limits(quick, entryBytes);
            Console.WriteLine("## Physical limits, measured in this run");
            Console.WriteLine();
            Console.WriteLine("| limit | rate |");
            Console.WriteLine("|---|---|");
            Console.WriteLine($"| SHA-256, {entryBytes}-byte inputs (one entry), one core | {Mb(limits.ShaEntry)} MB/s |");
            Console.WriteLine($"| SHA-256, 16 KiB inputs, one core | {Mb(limits.Sha16K)} MB/s |");
            Console.WriteLine($"| `openssl speed -bytes 16384 sha256`, one core | {(limits.OpensslSha is { } o ? Mb(o) + " MB/s" : "(openssl not found)")} |");
            Console.WriteLine($"| ECDSA P-256 verify, one core | {Measure.Rate(limits.EcdsaOne)}verifies/s |");
            Console.WriteLine($"| ECDSA P-256 verify, {Environment.ProcessorCount} threads (one key object each) | {Measure.Rate(limits.EcdsaAll)}verifies/s |");
            Console.WriteLine();

            var sizes = quick ? new[] { 10_000, 100_000 } : [10_000, 1_000_000];
            var signedSize = quick ? 10_000 : 100_000;
            var runs = new List<Run>();
            var floors = new Dictionary<string, double>(StringComparer.Ordinal);
            var repeat = quick ? 1 : 3;
            foreach (var size in sizes)
            {
                var bundle = await VerifierWorkload.WriteAsync(directory.FullName, size, signed: false);
                floors[bundle.Path] = JsonFloor(bundle.Path, repeat);
                runs.Add(Verify(verifier, bundle, "hash-only bundle", [], repeat));
                runs.Add(Verify(verifier, bundle, "hash-only bundle, --hashes-only", ["--hashes-only"], repeat));
                if (keep is null)
                {
                    File.Delete(bundle.Path);
                }
                else
                {
                    await File.WriteAllTextAsync(bundle.Path + ".vkey", bundle.VerifierKey);
                }
            }

            var signedBundle = await VerifierWorkload.WriteAsync(directory.FullName, signedSize, signed: true);
            floors[signedBundle.Path] = JsonFloor(signedBundle.Path, repeat);
            runs.Add(Verify(verifier, signedBundle, "signed bundle", [], repeat));
            if (keep is not null)
            {
                await File.WriteAllTextAsync(signedBundle.Path + ".vkey", signedBundle.VerifierKey);
            }

            Console.WriteLine("## Verification");
            Console.WriteLine();
            Console.WriteLine("| bundle | events | size | verdict | time | events/s | MB/s | vs SHA-256 (openssl) | Utf8JsonReader MB/s, all cores | vs Utf8JsonReader | signatures/s | vs ECDSA one core × cores | vs ECDSA all threads | CPU/event | MB per CPU-s | peak RSS |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            var shaLimit = limits.OpensslSha ?? limits.Sha16K;
            var ecdsaLimit = limits.EcdsaOne * Environment.ProcessorCount;
            foreach (var run in runs)
            {
                var bytesPerSecond = run.Bytes / run.Seconds;
                var signatures = run.Signatures / run.Seconds;
                var floor = floors[run.Path];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {run.Name} | {run.Events:N0} | {run.Bytes / 1e6:0.0} MB | {run.Verdict} | {run.Seconds:0.00} s | {Measure.Rate(run.Events / run.Seconds)} | {Mb(bytesPerSecond)} | {bytesPerSecond / shaLimit:0.00} | {Mb(floor)} | {bytesPerSecond / floor:0.00} | {(run.Signatures > 0 ? Measure.Rate(signatures) : "-")} | {(run.Signatures > 0 ? (signatures / ecdsaLimit).ToString("0.00", CultureInfo.InvariantCulture) : "-")} | {(run.Signatures > 0 ? (signatures / limits.EcdsaAll).ToString("0.00", CultureInfo.InvariantCulture) : "-")} | {run.CpuSeconds / run.Events * 1e6:0.0} µs | {run.Bytes / 1e6 / Math.Max(run.CpuSeconds, 0.01):0} | {run.PeakRss / 1048576.0:0} MiB |"));
            }

            Console.WriteLine();
            Console.WriteLine($"Load average at the end: {LoadAverage()}.");
            var full = runs.Where(r => r.Name == "hash-only bundle").OrderBy(r => r.Events).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Peak memory, {full[^1].Events:N0} vs {full[0].Events:N0} events (full verification): {full[^1].PeakRss / (double)full[0].PeakRss:0.00}× (target ≤ 1.5×)."));
            var streams = full[^1].Streams;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"The largest bundle holds {streams:N0} streams; per-stream state is what grows with it (see StreamBook)."));
            return runs.All(r => r.Verdict == "valid") ? 0 : 1;
        }
        finally
        {
            if (keep is null)
            {
                directory.Delete(recursive: true);
            }
        }
    }

    /// <summary>Verifies <paramref name="repeat"/> times: the fastest run's rates (the least disturbed), the median peak memory.</summary>
    private static Run Verify(string? verifier, VerifierWorkload.Bundle bundle, string name, string[] extra, int repeat)
    {
        var runs = Enumerable.Range(0, repeat).Select(_ => VerifyOnce(verifier, bundle, name, extra)).ToList();
        var peaks = runs.Select(r => r.PeakRss).Order().ToList();
        return runs.MinBy(r => r.Seconds)! with { PeakRss = peaks[peaks.Count / 2] };
    }

    private static Run VerifyOnce(string? verifier, VerifierWorkload.Bundle bundle, string name, string[] extra)
    {
        var start = new ProcessStartInfo(verifier ?? Path.Combine(AppContext.BaseDirectory, "ledger-verify"));
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var arg in new[] { bundle.Path, "--trust", bundle.VerifierKey, "--json" }.Concat(extra))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var peak = 0L;
        var cpu = 0.0;
        while (!process.WaitForExit(20))
        {
            peak = Math.Max(peak, PeakRss(process.Id));
            cpu = Math.Max(cpu, CpuSeconds(process.Id));
        }

        if (string.IsNullOrWhiteSpace(stdout.Result))
        {
            throw new InvalidOperationException($"ledger-verify exited {process.ExitCode} without a report: {stderr.Result}");
        }

        var json = JsonDocument.Parse(stdout.Result).RootElement;
        var counts = json.GetProperty("counts");
        var verdict = json.GetProperty("verdict").GetString()!;
        if (verdict != "valid")
        {
            Console.Error.WriteLine(stdout.Result + stderr.Result);
        }

        return new Run(name, bundle.Path, counts.GetProperty("entries").GetInt64(), counts.GetProperty("bytes").GetInt64(), counts.GetProperty("seconds").GetDouble(),
            counts.GetProperty("signaturesVerified").GetInt64(), counts.GetProperty("streams").GetInt64(), peak, verdict, cpu);
    }

    /// <summary>
    /// The floor for anything that must read the bundle's JSON: the bytes per second at which <see cref="Utf8JsonReader"/>
    /// merely reads every line of it (every token, no checks, nothing kept), on every core: 4 MiB chunks are read in turn
    /// and their lines shared out among one thread per core. Best of <paramref name="repeat"/> runs.
    /// </summary>
    private static double JsonFloor(string path, int repeat)
    {
        var best = 0.0;
        var chunk = new byte[4 * 1024 * 1024];
        for (var run = 0; run < repeat; run++)
        {
            var clock = Stopwatch.StartNew();
            long total = 0;
            var carry = 0;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            {
                int read;
                while ((read = file.Read(chunk, carry, chunk.Length - carry)) > 0 || carry > 0)
                {
                    var length = carry + read;
                    var end = read == 0 ? length : chunk.AsSpan(0, length).LastIndexOf((byte)'\n') + 1;
                    var lines = new List<(int Start, int Length)>();
                    var at = 0;
                    while (at < end)
                    {
                        var newline = chunk.AsSpan(at, end - at).IndexOf((byte)'\n');
                        var lineEnd = newline < 0 ? end : at + newline;
                        lines.Add((at, lineEnd - at));
                        at = lineEnd + 1;
                    }

                    Parallel.For(0, Environment.ProcessorCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, worker =>
                    {
                        for (var i = worker; i < lines.Count; i += Environment.ProcessorCount)
                        {
                            var reader = new Utf8JsonReader(chunk.AsSpan(lines[i].Start, lines[i].Length));
                            while (reader.Read())
                            {
                            }
                        }
                    });
                    total += end;
                    carry = length - end;
                    chunk.AsSpan(end, carry).CopyTo(chunk);
                    if (read == 0)
                    {
                        break;
                    }
                }
            }

            best = Math.Max(best, total / clock.Elapsed.TotalSeconds);
        }

        return best;
    }

    /// <summary>User and system CPU time of a process so far (from /proc/PID/stat, clock ticks of 10 ms); 0 once it is gone.</summary>
    private static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>VmHWM (peak resident set) of a process, in bytes; 0 once it is gone.</summary>
    private static long PeakRss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    private static (double ShaEntry, double Sha16K, double? OpensslSha, double EcdsaOne, double EcdsaAll) Limits(bool quick, int entryBytes)
    {
        var measure = new Measure(quick);
        var small = new byte[entryBytes];
        var large = new byte[16384];
        var hash = new byte[32];
        const int Batch = 1000;
        measure.Add(Batch, () =>
        {
            for (var i = 0; i < Batch; i++)
            {
                SHA256.HashData(small, hash);
            }
        });
        measure.Add(64, () =>
        {
            for (var i = 0; i < 64; i++)
            {
                SHA256.HashData(large, hash);
            }
        });

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signature = key.SignData(small, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        const int Verifies = 50;
        measure.Add(Verifies, () =>
        {
            for (var i = 0; i < Verifies; i++)
            {
                key.VerifyData(small, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }
        });
        // Every core: one thread per core, each with its own key object (as the verifier's parallel stage has its own
        // work), 200 verifies per thread per batch so that starting the threads is not what is measured.
        var threads = Environment.ProcessorCount;
        var spki = key.ExportSubjectPublicKeyInfo();
        var keys = Enumerable.Range(0, threads).Select(_ =>
        {
            var own = ECDsa.Create();
            own.ImportSubjectPublicKeyInfo(spki, out _);
            return own;
        }).ToArray();
        const int PerThread = 200;
        measure.Add(PerThread * threads, () =>
        {
            var workers = keys.Select(own => new Thread(() =>
            {
                for (var i = 0; i < PerThread; i++)
                {
                    own.VerifyData(small, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                }
            })).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
        });
        var rates = measure.RunAll();
        foreach (var own in keys)
        {
            own.Dispose();
        }

        return (rates[0] * entryBytes, rates[1] * large.Length, OpensslSha256(quick), rates[2], rates[3]);
    }

    /// <summary>The byte rate <c>openssl speed</c> reports for SHA-256 over 16 KiB blocks, or null without openssl.</summary>
    private static double? OpensslSha256(bool quick)
    {
        try
        {
            var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "speed", "-seconds", quick ? "1" : "3", "-bytes", "16384", "sha256" })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var line = output.Split('\n').LastOrDefault(l => l.StartsWith("sha256", StringComparison.Ordinal));
            var value = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1].TrimEnd('k');
            return value is null ? null : double.Parse(value, CultureInfo.InvariantCulture) * 1000;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string Mb(double bytesPerSecond) => (bytesPerSecond / 1e6).ToString("0", CultureInfo.InvariantCulture);

    private sealed record Run(string Name, string Path, long Events, long Bytes, double Seconds, long Signatures, long Streams, long PeakRss, string Verdict, double CpuSeconds);
}
