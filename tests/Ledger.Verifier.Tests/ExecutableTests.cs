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

    [Fact]
    public async Task The_verifier_reads_a_bundle_from_standard_input_given_a_dash()
    {
        using var log = new TestLog();
        using var scenario = Standard(log, signed: false);
        var bundle = await log.StreamBundleAsync(Id("a1").StreamName);

        var (exit, stdout, stderr) = await RunAsync(bundle, "-", "--trust", log.VerifierKey);

        exit.ShouldBe(0, stdout + stderr);
        stdout.ShouldContain("(standard input)");
    }

    private static Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(null, args);

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(byte[]? input, params string[] args)
    {
        // The apphost built next to the tests; the dll through the dotnet host where there is no apphost.
        var apphost = Path.Combine(AppContext.BaseDirectory, "ledger-verify");
        var dll = Path.Combine(AppContext.BaseDirectory, "ledger-verify.dll");
        File.Exists(dll).ShouldBeTrue($"the verifier is built next to the tests: {dll}");
        var start = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo(Environment.ProcessPath!) { ArgumentList = { dll } };
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = input is not null;
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(input);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
