using System.Net;
using System.Text;
using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests;

// The auditor's path end to end: what the real API exports, the offline verifier accepts, and a change to it is caught.
public abstract partial class ApiSuite
{
    [Fact]
    public async Task The_verifier_accepts_a_full_export_with_refusals_and_cascades_and_rejects_it_altered()
    {
        var parent = NewStory("audit-parent");
        await RunAsync(parent, 0, parent.UpToStart());
        var child = NewStory("audit-child", parent: parent);
        await RunAsync(child, 0, child.UpToStart());
        var widening = NewStory("audit-widening", scope: ["invoices:read", "invoices:delete"], parent: parent);
        await RunAsync(widening, 0, widening.Intent(), widening.Governance());
        await ProblemAsync(
            await AppendAsync(widening.Stream, Story.Body(2, widening.Authorization(grantedScope: ["invoices:read", "invoices:delete"]))),
            HttpStatusCode.UnprocessableEntity, "lifecycle-violation");
        await RunAsync(parent, 5, parent.Halted());
        await SignCheckpointAsync();
        var vkey = (await (await GetAsync("/v1/log/key")).Content.ReadAsStringAsync()).Trim();

        var full = await ExportAsync("/v1/export");
        var (valid, report) = Verify(full, vkey);
        valid.ShouldBe(0, report);

        var lineage = await ExportAsync($"/v1/export?lineage={parent.Id}");
        var (lineageValid, lineageReport) = Verify(lineage, vkey);
        lineageValid.ShouldBe(0, lineageReport);
        lineageReport.ShouldContain("lineage");

        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(full).Replace("\"runtimeNode\":\"node-7\"", "\"runtimeNode\":\"node-8\"", StringComparison.Ordinal));
        tampered.ShouldNotBe(full);
        var (invalid, tamperedReport) = Verify(tampered, vkey);
        invalid.ShouldBe(1, tamperedReport);

        var (untrusted, untrustedReport) = Verify(full, "other.example/log+00000000+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABMgawSXDmNuLeIf7KGHPUaGrNrIfNp5B6cYceUdeZ12EpmJyP1W7K2lqkaRNUkwKd/UZSufCicDIzmEzIANGz1A=");
        untrusted.ShouldNotBe(0, untrustedReport);
    }

    /// <summary>
    /// The habit every test that writes the log ends with: once the cascades are done, the whole log as exported
    /// verifies offline against the ledger's key.
    /// </summary>
    protected async Task ExportVerifiesAsync()
    {
        await CascadesFinishedAsync();
        await SignCheckpointAsync();
        var vkey = (await (await GetAsync("/v1/log/key")).Content.ReadAsStringAsync()).Trim();
        var (exit, report) = Verify(await ExportAsync("/v1/export"), vkey);
        exit.ShouldBe(0, report);
    }

    private async Task<byte[]> ExportAsync(string path)
    {
        using var response = await GetAsync(path);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, Encoding.UTF8.GetString(bytes));
        return bytes;
    }

    private static (int ExitCode, string Report) Verify(byte[] bundle, string vkey)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, bundle);
            using var output = new StringWriter();
            var exit = Ledger.Verifier.Program.Run([path, "--trust", vkey], output, output);
            return (exit, output.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
