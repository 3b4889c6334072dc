using System.Text;
using System.Text.Json;
using Ledger.Domain.Notes;
using Ledger.Verifier.Tests.Building;

namespace Ledger.Verifier.Tests;

/// <summary>Runs the verifier in-process, through its API or its command line.</summary>
internal static class Harness
{
    public static VerificationReport Verify(byte[] bundle, params string[] trustedKeys) =>
        new BundleVerifier(trustedKeys.Select(NoteVerifier.Parse)).Verify(new MemoryStream(bundle));

    public static VerificationReport Verify(byte[] bundle, TestLog log) => Verify(bundle, log.VerifierKey);

    /// <summary>Writes the bundle to a file and runs <c>Program.Run</c> on it.</summary>
    public static CliResult Cli(byte[] bundle, params string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), "ledger-verify-" + Guid.NewGuid().ToString("N") + ".ndjson");
        File.WriteAllBytes(path, bundle);
        try
        {
            return Run([path, .. args]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = Program.Run(args, stdout, stderr);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    internal sealed record CliResult(int Exit, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Encoding.UTF8.GetBytes(Stdout)).RootElement;
    }
}
