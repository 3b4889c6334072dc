using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Ledger.Api.Tests.EndToEnd;

/// <summary>
/// Runs the shell blocks of README.md, as written, with bash and curl against the real process, so that the
/// walk-through cannot drift from what the ledger answers.
/// </summary>
public sealed partial class ReadmeWalkthroughTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ledger-readme-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in the temporary directory.
        }
    }

    [Fact]
    public async Task The_readme_walkthrough_runs_as_written()
    {
        var repository = typeof(ReadmeWalkthroughTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        var readme = await File.ReadAllTextAsync(Path.Combine(repository, "README.md"));
        var blocks = ShellBlock().Matches(readme).Select(m => m.Groups[1].Value).ToList();
        blocks.Count.ShouldBeGreaterThan(5);
        var script = string.Join('\n', blocks);
        script.ShouldContain("L=http://127.0.0.1:5080");

        // The README runs from the repository root, where `dotnet run --project Ledger.Api` keeps ./data.
        var dataDir = Path.Combine(_root, "data");
        await using var ledger = await LedgerProcess.StartAsync(dataDir, _root);
        script = script.Replace("L=http://127.0.0.1:5080", "L=" + ledger.Address.ToString().TrimEnd('/'), StringComparison.Ordinal);
        var scriptPath = Path.Combine(_root, "walkthrough.sh");
        await File.WriteAllTextAsync(scriptPath, "set -eu\n" + script);

        var (exitCode, output) = await RunAsync("bash", scriptPath);

        exitCode.ShouldBe(0, output);
        output.ShouldNotContain("\"status\":401");
        output.ShouldContain("\"eventId\":\"demo-1-completed\",\"position\":10,\"streamVersion\":7");
        output.ShouldContain("{\"allowed\":true,\"status\":\"running\",\"phase\":\"start\"");
        output.ShouldContain("c2sp.org/tlog-proof@v1\nextra ");
        output.ShouldContain("index 10\n");
        output.ShouldContain("\"positions\":[16,17]");
        output.ShouldContain("\"status\":422,\"detail\":\"granted scope invoices:delete is not held by parent execution 'demo-2'\",\"reason\":\"authorization-scope-exceeded\"");
        output.ShouldContain("\"position\":18,\"positions\":[18],\"appended\":[]");
        output.ShouldContain("\"emitter\":\"$ledger\",\"eventId\":\"ledger-refusal-demo-3-demo-3-authorization-0\"");
        output.ShouldContain("{\"allowed\":false,\"status\":\"denied\",\"phase\":\"governance-sync\",\"reason\":\"authorization-scope-exceeded\",\"validUntil\":null}");
        using (var http = new HttpClient { BaseAddress = ledger.Address, Timeout = TimeSpan.FromSeconds(60) })
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ledger.AdminToken);
            await ProcessExports.VerifyAsync(http);
        }

        (await ledger.StopAsync()).ShouldBe(0, ledger.Output);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string fileName, string argument)
    {
        var start = new ProcessStartInfo(fileName, [argument])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + fileName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex("```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();
}
