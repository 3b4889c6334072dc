using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Ledger.Api.Tests.EndToEnd;

/// <summary>
/// Runs the shell blocks of docs/FEDERATION.md's walk-through, as written and in order, with bash, curl and
/// infra/federation/three-ledgers.sh: three ledger processes (aws, azure, gcp) that witness and follow each other, a
/// lineage across them halted at its root, a silent ledger failing its dependants closed, and the three exports verified
/// together offline. The answers the page shows are checked here, so the walk-through cannot drift from the ledgers.
/// </summary>
public sealed partial class FederationWalkthroughTests : IDisposable
{
    private const string Section = "## Three ledgers on one machine: a walk-through";
    private const string FedLine = "FED=/tmp/ledger-federation";
    private readonly string _root = Directory.CreateTempSubdirectory("ledger-federation-walk-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A ledger may still be closing its files; left in the temporary directory.
        }
    }

    [Fact]
    public async Task The_federation_walkthrough_runs_as_written()
    {
        var repository = Path.GetFullPath(typeof(FederationWalkthroughTests).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!);
        // The script runs the Release build in place (LEDGER_FEDERATION_NO_BUILD): the one these tests were built with.
        Path.GetFullPath(LedgerProcess.ApiAssembly).ShouldBe(Path.Combine(repository, "Ledger.Api", "bin", "Release", "net10.0", "Ledger.Api.dll"));
        var script = Script(await File.ReadAllTextAsync(Path.Combine(repository, "docs", "FEDERATION.md")));
        var fed = Path.Combine(_root, "fed");
        script = script.Replace(FedLine, "FED=" + fed, StringComparison.Ordinal);
        var scriptPath = Path.Combine(_root, "walkthrough.sh");
        await File.WriteAllTextAsync(scriptPath, script);

        string output;
        int exitCode;
        try
        {
            (exitCode, output) = await RunAsync(repository, ["bash", scriptPath], TimeSpan.FromMinutes(4));
        }
        finally
        {
            await StopLedgersAsync(repository, fed);
        }

        exitCode.ShouldBe(0, output);
        output.ShouldContain("\"stream\":\"execution-root-1\",\"streamVersion\":5,\"replayed\":false", Case.Sensitive, output);
        output.ShouldContain("\"stream\":\"execution-child-1\",\"streamVersion\":7,\"replayed\":false", Case.Sensitive, output);
        output.ShouldContain("\"entries\":[{\"eventId\":\"ledger-attested-child-1-1\"", Case.Sensitive, output);
        output.ShouldContain("grandchild-1: {\"allowed\":true,\"status\":\"running\",\"phase\":\"start\",\"reason\":null", Case.Sensitive, output);
        output.ShouldContain("notify: 202\n", Case.Sensitive, output);
        Ended(output, "child-1", "parent-halted").ShouldBe(1, output);
        Ended(output, "grandchild-1", "parent-halted").ShouldBe(1, output);
        GrandchildEnd().IsMatch(output).ShouldBeTrue("the grandchild's halt, then the attestation it rests on, read backward:\n" + output);
        output.ShouldContain("grandchild-2: {\"allowed\":true,\"status\":\"running\",\"phase\":\"start\",\"reason\":null", Case.Sensitive, output);
        Occurrences(output, "azure stopped\n").ShouldBe(2, "stopped in the middle, and with the others at the end:\n" + output);
        Ended(output, "grandchild-2", "federation-sync-lost").ShouldBe(2, "halted after azure stopped, and still after it came back:\n" + output);
        output.ShouldContain(
            "\"data\":{\"detail\":\"peer 'azure.example/ledger' did not answer for parent execution 'child-2': Connection refused", Case.Sensitive, output);
        output.ShouldContain("sibling-2: {\"allowed\":true,\"status\":\"running\",\"phase\":\"start\",\"reason\":null", Case.Sensitive, output);
        output.ShouldContain("child-2: {\"allowed\":true,\"status\":\"running\",\"phase\":\"start\",\"reason\":null", Case.Sensitive, output);
        foreach (var name in new[] { "aws", "azure", "gcp" })
        {
            output.ShouldContain($"ledger-verify: VALID — {fed}/{name}.ndjson\n", Case.Sensitive, output);
        }

        Occurrences(output, "quorum:   every checkpoint cosigned to meet 'peers' of the policy").ShouldBe(3, output);
        output.ShouldContain(
            "cross-ledger: 12 parent attestations recorded, 12 checked against the peer's key and policy, 12 compared with the peer's bundle, 0 attestations verified again, 0 not checked",
            Case.Sensitive, output);
        output.ShouldContain("ledger-verify: VALID — 3 bundles\n", Case.Sensitive, output);
        output.ShouldEndWith("aws stopped\nazure stopped\ngcp stopped\n", Case.Sensitive, "the last block stops every ledger:\n" + output);
    }

    /// <summary>The walk-through's shell blocks in order, each announced on the output so a failure shows which one.</summary>
    internal static string Script(string page)
    {
        var start = page.IndexOf(Section, StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, "docs/FEDERATION.md has no section '" + Section + "'");
        var end = page.IndexOf("\n## ", start + Section.Length, StringComparison.Ordinal);
        var section = end < 0 ? page[start..] : page[start..end];
        var blocks = ShellBlock().Matches(section).Select(m => m.Groups[1].Value).ToList();
        blocks.Count.ShouldBeGreaterThan(10);
        blocks[0].ShouldContain(FedLine);
        var script = new StringBuilder("set -eu\n");
        for (var i = 0; i < blocks.Count; i++)
        {
            script.Append(CultureInfo.InvariantCulture, $"echo \"=== block {i + 1} $(date -u +%T)\" >&2\n").Append(blocks[i]).Append('\n');
        }

        return script.ToString();
    }

    /// <summary>Stops whatever the walk-through left running (it stops everything itself when it gets to the end).</summary>
    private static async Task StopLedgersAsync(string repository, string fed)
    {
        if (!Directory.Exists(fed))
        {
            return;
        }

        await RunAsync(repository, ["bash", Path.Combine(repository, "infra", "federation", "three-ledgers.sh"), "stop", fed], TimeSpan.FromMinutes(2));
        foreach (var file in Directory.EnumerateFiles(fed, "*.pid"))
        {
            if (int.TryParse(await File.ReadAllTextAsync(file), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, string[] command, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        var ports = new HashSet<int>();
        while (ports.Count < 3)
        {
            ports.Add(LedgerProcess.FreePort());
        }

        start.Environment["LEDGER_FEDERATION_PORTS"] = string.Join(' ', ports);
        start.Environment["LEDGER_FEDERATION_NO_BUILD"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + command[0]);
        var output = new StringBuilder();
        var gate = new Lock();
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (gate)
                {
                    output.Append(line).Append('\n');
                }
            }
        }

        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (gate)
            {
                throw new TimeoutException($"'{string.Join(' ', command)}' did not finish within {timeout}:\n{output}");
            }
        }

        await process.WaitForExitAsync(); // the output's last lines
        lock (gate)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    /// <summary>How many decisions of <paramref name="execution"/> the output shows as halted with <paramref name="reason"/>
    /// (in phase <c>start</c>, or <c>proof</c> once the proof job anchored the ended tree).</summary>
    private static int Ended(string output, string execution, string reason) => Regex.Count(
        output,
        "^" + Regex.Escape(execution) + ": \\{\"allowed\":false,\"status\":\"halted\",\"phase\":\"(start|proof)\",\"reason\":\"" + Regex.Escape(reason) + "\",\"validUntil\":null\\}$",
        RegexOptions.Multiline);

    private static int Occurrences(string text, string value) => (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;

    [GeneratedRegex("```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex("""\{"stream":"execution-grandchild-1","streamVersion":9,"entries":\[\{[^\n]*?"type":"execution\.halted\.v1"[^\n]*?"detail":"parent execution 'child-1' of 'azure\.example/ledger' is halted \(attestation sha256:[0-9a-f]{64}, checkpoint size \d+\)","reason":"parent-halted"[^\n]*?"type":"federation\.parent-attested\.v1""")]
    private static partial Regex GrandchildEnd();
}
