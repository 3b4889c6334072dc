using System.Diagnostics;
using System.Reflection;
using Ledger.Api.Tests.EndToEnd;

namespace Ledger.Client.Tests;

/// <summary>samples/Ledger.Client.Sample, built with the tests, run as a process against the API run as a process.</summary>
public sealed class SampleTests
{
    private static string SampleAssembly =>
        typeof(SampleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ClientSample").Value!;

    [Fact]
    public async Task The_sample_signs_a_lifecycle_follows_the_log_and_verifies_a_receipt_offline_against_a_real_ledger()
    {
        var dataDir = Directory.CreateTempSubdirectory("ledger-sample-").FullName;
        try
        {
            await using var ledger = await LedgerProcess.StartAsync(dataDir, dataDir);
            var adminToken = ledger.AdminToken ?? throw new InvalidOperationException("The first start printed no admin token:\n" + ledger.Output);

            var (exit, output) = await RunSampleAsync("--url", ledger.Address.ToString(), "--admin-token", adminToken);

            exit.ShouldBe(0, output);
            output.ShouldContain("decision: allowed=True status=running");
            output.ShouldContain("subscription saw 7 events");
            output.ShouldContain("receipt verified: position ");
            output.ShouldContain("execution.completed.v1, signed ed25519");

            using var client = new LedgerClient(new LedgerClientOptions { BaseAddress = ledger.Address });
            var vkey = await client.GetVerifierKeyAsync();
            var bundle = Path.Combine(dataDir, "bundle.ndjson");
            await using (var file = File.Create(bundle))
            {
                await client.ExportAsync("", file);
            }

            using var report = new StringWriter();
            Ledger.Verifier.Program.Run([bundle, "--trust", vkey], report, report).ShouldBe(0, report.ToString());
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task The_sample_without_an_admin_token_says_how_to_run_it()
    {
        var (exit, output) = await RunSampleAsync("--url", "http://127.0.0.1:1");

        exit.ShouldBe(2, output);
        output.ShouldContain("usage:");
    }

    private static async Task<(int ExitCode, string Output)> RunSampleAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.GetFullPath(SampleAssembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("LEDGER_ADMIN_TOKEN");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
