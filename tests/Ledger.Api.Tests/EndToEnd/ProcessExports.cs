using System.Text.Json;

namespace Ledger.Api.Tests.EndToEnd;

/// <summary>The export check that ends every real-process test that writes a log.</summary>
internal static class ProcessExports
{
    /// <summary>Waits until a checkpoint covers the whole log, exports it through <paramref name="http"/> (which carries a token) and verifies the export against the ledger's key.</summary>
    public static async Task VerifyAsync(HttpClient http)
    {
        var vkey = (await http.GetStringAsync("/v1/log/key")).Trim();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var checkpoint = await http.GetStringAsync("/v1/log/checkpoint");
            var size = long.Parse(checkpoint.Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);
            using var ready = await http.GetAsync("/healthz/ready");
            var treeSize = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("treeSize").GetInt64();
            if (size == treeSize)
            {
                break;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, "no checkpoint covered the log");
            await Task.Delay(250);
        }

        var bundle = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(bundle, await http.GetByteArrayAsync("/v1/export"));
            using var report = new StringWriter();
            Ledger.Verifier.Program.Run([bundle, "--trust", vkey], report, report).ShouldBe(0, report.ToString());
        }
        finally
        {
            File.Delete(bundle);
        }
    }
}
