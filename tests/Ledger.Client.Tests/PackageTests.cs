using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;

namespace Ledger.Client.Tests;

/// <summary><c>dotnet pack Ledger.Client</c> makes the package a governance service references.</summary>
public sealed class PackageTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("ledger-client-pack-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public async Task Pack_makes_a_nupkg_carrying_the_client_and_the_domain_code_and_depending_only_on_Polly()
    {
        var assembly = typeof(PackageTests).Assembly;
        var root = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        var configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "pack", Path.Combine(root, "Ledger.Client", "Ledger.Client.csproj"), "-c", configuration, "--no-build", "-o", _out })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.ShouldBe(0, output);
        var package = Directory.GetFiles(_out, "Ledger.Client.*.nupkg").ShouldHaveSingleItem();
        using var zip = ZipFile.OpenRead(package);
        var files = zip.Entries.Select(e => e.FullName).ToList();
        files.ShouldContain("lib/net10.0/Ledger.Client.dll");
        files.ShouldContain("lib/net10.0/Ledger.Domain.dll");
        files.ShouldContain("lib/net10.0/Ledger.Client.xml");
        using var nuspec = new StreamReader(zip.GetEntry("Ledger.Client.nuspec")!.Open());
        var text = await nuspec.ReadToEndAsync();
        text.ShouldContain("<dependency id=\"Polly.Core\"");
        text.ShouldNotContain("id=\"Ledger.Domain\"");
    }
}
