using System.Diagnostics;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>The built program, run as a process, as an auditor runs it.</summary>
public sealed class ExecutableTests
{
    [Fact]
    public async Task The_built_verifier_runs_as_a_process_and_exits_with_the_verdict()
    {
        using var log = new TestLog();
        using var scenario = Standard(log, signed: true);
        var path = Path.Combine(Path.GetTempPath(), "ledger-verify-" + Guid.NewGuid().ToString("N") + ".ndjson");
        await File.WriteAllBytesAsync(path, await log.FullBundleAsync());
        try
        {
            var (exit, stdout, stderr) = await RunAsync(path, "--trust", log.VerifierKey);
            exit.ShouldBe(0, stdout + stderr);
            stdout.ShouldContain("ledger-verify: VALID");

            var bytes = await File.ReadAllBytesAsync(path);
            bytes[bytes.Length / 2] ^= 0x20;
            await File.WriteAllBytesAsync(path, bytes);
            (exit, stdout, stderr) = await RunAsync(path, "--trust", log.VerifierKey, "--json");
            exit.ShouldBeOneOf(1, 2);
            stdout.ShouldContain("\"verdict\"");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ledger-verify.dll");
        File.Exists(dll).ShouldBeTrue($"the verifier is built next to the tests: {dll}");
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
