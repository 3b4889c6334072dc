namespace Ledger.Cli.Tests;

public static class FileModes
{
    /// <summary>Secret files are created readable and writable by their owner only (Unix; Windows has no such mode).</summary>
    public static void ShouldBeOwnerOnly(string path)
    {
        File.Exists(path).ShouldBeTrue();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
