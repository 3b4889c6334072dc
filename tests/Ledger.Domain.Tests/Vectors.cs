namespace Ledger.Domain.Tests;

/// <summary>Locates the conformance vectors under tests/vectors, read by the tests as data.</summary>
internal static class Vectors
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The absolute path of tests/vectors.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The absolute path of a file or folder under tests/vectors.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "vectors");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/vectors was not found above " + AppContext.BaseDirectory);
    }
}
