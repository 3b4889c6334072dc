using System.Text.Json;

namespace Ledger.Cli;

/// <summary>A credentials file: <c>{"emitter": NAME, "token": TOKEN}</c> as the ledger writes <c>dev-credentials.json</c>.</summary>
internal sealed record CredentialsFile(string? Emitter, string Token)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static CredentialsFile Read(string path)
    {
        var bytes = InputFiles.ReadAllBytes(path, "credentials file");
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(token.GetString()))
            {
                throw CliException.Usage($"The credentials file '{path}' must be a JSON object with a \"token\" string.");
            }

            string? emitter = null;
            if (root.TryGetProperty("emitter", out var name))
            {
                emitter = name.ValueKind == JsonValueKind.String
                    ? name.GetString()
                    : throw CliException.Usage($"In the credentials file '{path}', \"emitter\" must be a string.");
            }

            return new CredentialsFile(emitter, token.GetString()!);
        }
        catch (JsonException e)
        {
            throw CliException.Usage($"The credentials file '{path}' is not JSON: {e.Message}");
        }
    }

    /// <summary>Writes the file readable by its owner only; refuses to replace an existing file.</summary>
    public void Write(string path) =>
        InputFiles.WriteSecret(path, JsonSerializer.Serialize(Emitter is null ? new { token = Token } : (object)new { emitter = Emitter, token = Token }) + "\n");

    internal static FileStreamOptions SecretFileOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        return options;
    }
}
