namespace Ledger.Cli;

/// <summary>Reads and writes the user's files, turning I/O errors into usage failures that name the file.</summary>
internal static class InputFiles
{
    public static byte[] ReadAllBytes(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw CliException.Usage($"Cannot read the {what} '{path}': {e.Message}");
        }
    }

    public static string ReadAllText(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw CliException.Usage($"Cannot read the {what} '{path}': {e.Message}");
        }
    }

    /// <summary>Creates <paramref name="path"/> with owner-only permissions; an existing file is never replaced.</summary>
    public static void WriteSecret(string path, string content)
    {
        try
        {
            using var stream = new FileStream(path, CredentialsFile.SecretFileOptions());
            using var writer = new StreamWriter(stream);
            writer.Write(content);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw CliException.Usage($"'{path}' already exists; choose another file (existing keys and credentials are never overwritten).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw CliException.Usage($"Cannot write '{path}': {e.Message}");
        }
    }

    /// <summary>Refuses an output path that exists (so a command never silently replaces a file).</summary>
    public static void RequireAbsent(string path)
    {
        if (File.Exists(path) || Directory.Exists(path))
        {
            throw CliException.Usage($"'{path}' already exists; choose another file.");
        }
    }
}
