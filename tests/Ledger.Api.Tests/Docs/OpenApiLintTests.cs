using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests.Docs;

/// <summary>
/// The OpenAPI document passes <c>redocly lint</c> with the recommended rules (tests/tools/redocly: the CLI's version
/// is pinned in package-lock.json and installed there once, by ./test.sh or by the first run of this test). Every
/// warning left is listed with its reason in the lint-ignore file; any other error or warning fails the test.
/// </summary>
public sealed class OpenApiLintTests(LedgerAppFixture fixture) : IClassFixture<LedgerAppFixture>
{
    private static readonly string Tools = Path.GetFullPath(Path.Combine(
        typeof(OpenApiLintTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!,
        "tests", "tools", "redocly"));

    private static readonly SemaphoreSlim Install = new(1, 1);

    [Fact]
    public async Task The_openapi_document_passes_redocly_lint_with_the_recommended_rules()
    {
        var (exit, totals, output) = await LintAsync(await DocumentAsync());

        exit.ShouldBe(0, output);
        totals.GetProperty("errors").GetInt32().ShouldBe(0, output);
        totals.GetProperty("warnings").GetInt32().ShouldBe(0, output);
    }

    [Fact]
    public async Task A_document_that_breaks_a_recommended_rule_fails_the_lint()
    {
        // A public operation that no longer says `security: []` breaks security-defined (an error).
        var document = JsonNode.Parse(await DocumentAsync())!;
        document["paths"]!["/healthz"]!["get"]!.AsObject().Remove("security").ShouldBeTrue();

        var (exit, totals, output) = await LintAsync(document.ToJsonString());

        exit.ShouldNotBe(0, output);
        totals.GetProperty("errors").GetInt32().ShouldBeGreaterThan(0, output);
        output.ShouldContain("security-defined");
    }

    private async Task<string> DocumentAsync()
    {
        var app = await fixture.GetAsync(() => Task.FromResult(new LedgerApp("sqlite", null)));
        using var http = app.CreateClient();
        // As a client reaching the ledger by its name sees it (the server is taken from the request; the test
        // server's own name, localhost, is one the recommended rules warn about).
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = "ledger.test:5080";
        using var response = await http.SendAsync(request);
        return await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
    }

    private static async Task<(int Exit, JsonElement Totals, string Output)> LintAsync(string document)
    {
        var cli = await InstalledAsync();
        var work = Directory.CreateTempSubdirectory("ledger-openapi-lint-");
        try
        {
            File.Copy(Path.Combine(Tools, "redocly.yaml"), Path.Combine(work.FullName, "redocly.yaml"));
            File.Copy(Path.Combine(Tools, ".redocly.lint-ignore.yaml"), Path.Combine(work.FullName, ".redocly.lint-ignore.yaml"));
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "openapi.json"), document);

            var (exit, stdout, stderr) = await RunAsync("node", [cli, "lint", "openapi.json", "--config", "redocly.yaml", "--format", "json"], work.FullName);
            var output = stdout + "\n" + stderr;
            var json = stdout.IndexOf('{', StringComparison.Ordinal);
            json.ShouldBeGreaterThanOrEqualTo(0, "redocly printed no JSON report: " + output);
            var totals = JsonDocument.Parse(stdout[json..]).RootElement.GetProperty("totals").Clone();
            return (exit, totals, output);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    // The pinned CLI, installed from the lock file when it is not there yet.
    private static async Task<string> InstalledAsync()
    {
        var cli = Path.Combine(Tools, "node_modules", "@redocly", "cli", "bin", "cli.js");
        await Install.WaitAsync();
        try
        {
            if (!File.Exists(cli))
            {
                var (exit, stdout, stderr) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], Tools);
                exit.ShouldBe(0, $"npm ci in {Tools} failed (./test.sh installs node and npm): {stdout}\n{stderr}");
            }
        }
        finally
        {
            Install.Release();
        }

        File.Exists(cli).ShouldBeTrue($"{cli} is missing after npm ci");
        return cli;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string program, IReadOnlyList<string> arguments, string directory)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The CLI reports nothing home and looks for no update.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
