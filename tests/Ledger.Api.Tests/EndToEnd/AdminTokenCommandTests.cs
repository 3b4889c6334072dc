using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;

namespace Ledger.Api.Tests.EndToEnd;

/// <summary><c>ledger admin token --data-dir DIR</c> against the real processes: a lost admin token is replaced from the data directory.</summary>
public sealed class AdminTokenCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ledger-admin-token-").FullName;

    private string DataDir => Path.Combine(_root, "data");

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
    public async Task A_token_minted_from_the_data_directory_works_against_the_running_api_and_the_export_verifies()
    {
        await using var ledger = await LedgerProcess.StartAsync(DataDir, _root, "--Ledger:CheckpointInterval", "00:00:01");
        ledger.AdminToken.ShouldNotBeNull(ledger.Output); // printed once, and from here on taken as lost

        var (exit, stdout, stderr) = await RunCliAsync("admin", "token", "--data-dir", DataDir);

        exit.ShouldBe(0, stdout + stderr);
        var token = stdout.Trim();
        token.ShouldStartWith("glt_");
        token.ShouldNotBe(ledger.AdminToken);
        stderr.ShouldContain("minted admin token");
        using var http = new HttpClient { BaseAddress = ledger.Address, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var emitters = await http.GetAsync("/v1/admin/emitters"))
        {
            emitters.StatusCode.ShouldBe(HttpStatusCode.OK, await emitters.Content.ReadAsStringAsync());
        }

        using (var minted = await http.PostAsJsonAsync("/v1/admin/tokens", new { subject = "dev", role = "emitter" }))
        {
            minted.StatusCode.ShouldBe(HttpStatusCode.Created, await minted.Content.ReadAsStringAsync());
        }

        // The new token is a fact of the log, with the one minted through the API after it; the export verifies.
        var tokensStream = await http.GetStringAsync("/v1/streams/$tokens/events");
        tokensStream.ShouldContain(TokenId(token));
        await ProcessExports.VerifyAsync(http);
    }

    [Fact]
    public async Task A_directory_without_a_ledger_is_refused_with_one_line_and_nothing_is_created()
    {
        var empty = Path.Combine(_root, "nothing-here");

        var (exit, stdout, stderr) = await RunCliAsync("admin", "token", "--data-dir", empty);

        exit.ShouldBe(2, stdout + stderr);
        stdout.ShouldBeEmpty();
        stderr.Trim().ShouldBe($"error: '{empty}' holds no ledger (no ledger.key)");
        Directory.Exists(empty).ShouldBeFalse();
    }

    [Fact]
    public async Task An_origin_that_is_not_the_logs_is_refused_and_nothing_is_appended()
    {
        await using (var ledger = await LedgerProcess.StartAsync(DataDir, _root))
        {
            (await ledger.StopAsync()).ShouldBe(0, ledger.Output);
        }

        var before = new FileInfo(Path.Combine(DataDir, "ledger.db")).Length;
        var (exit, stdout, stderr) = await RunCliAsync("admin", "token", "--data-dir", DataDir, "--origin", "other.example/log");

        exit.ShouldBe(3, stdout + stderr);
        stdout.ShouldBeEmpty();
        stderr.ShouldContain("holds the log of origin 'ledger.local/log', not 'other.example/log'");
        await using var restarted = await LedgerProcess.StartAsync(DataDir, _root);
        using var http = new HttpClient { BaseAddress = restarted.Address };
        var tokens = await http.GetStringAsync("/v1/streams/$tokens/events");
        JsonDocument.Parse(tokens).RootElement.GetProperty("streamVersion").GetInt64().ShouldBe(2, tokens); // dev and admin only
        before.ShouldBeGreaterThan(0);
    }

    private static string TokenId(string token) => token.Split('_')[1];

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(params string[] arguments)
    {
        var dll = Path.GetFullPath(typeof(AdminTokenCommandTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LedgerCli").Value!);
        File.Exists(dll).ShouldBeTrue($"the ledger CLI is not built at {dll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _root };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
