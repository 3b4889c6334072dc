using System.Text.Json;

namespace Ledger.Domain.Tests;

/// <summary>
/// Finds the conformance vectors in the repository's <c>tests/vectors</c> folder (by walking up from the test
/// binaries) and reads them as data.
/// </summary>
internal static class Vectors
{
    private static readonly Lazy<string> Folder = new(Find);

    /// <summary>The absolute path of <c>tests/vectors</c>.</summary>
    public static string Root => Folder.Value;

    /// <summary>The absolute path of a file or folder under <c>tests/vectors</c>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static byte[] ReadBytes(params string[] parts) => File.ReadAllBytes(PathOf(parts));

    public static string ReadText(params string[] parts) => File.ReadAllText(PathOf(parts));

    public static JsonDocument ReadJson(params string[] parts) => JsonDocument.Parse(ReadBytes(parts));

    /// <summary>The names of the files directly in a vectors sub-folder, in ordinal order.</summary>
    public static IReadOnlyList<string> FileNames(string folder) =>
        [.. Directory.EnumerateFiles(PathOf(folder)).Select(Path.GetFileName).Select(n => n!).Order(StringComparer.Ordinal)];

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "vectors");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No tests/vectors folder in {AppContext.BaseDirectory} or any folder above it.");
    }
}
