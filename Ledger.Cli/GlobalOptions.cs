using System.CommandLine;

namespace Ledger.Cli;

/// <summary>The options every command takes: where the ledger is and who the caller is.</summary>
internal sealed class GlobalOptions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
    public const string UrlVariable = "LEDGER_URL";
    public const string TokenVariable = "LEDGER_TOKEN";

    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The ledger's base URL (default: ${UrlVariable}, else {DefaultUrl}).",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"Bearer token (default: ${TokenVariable}, else the token in --credentials).",
        Recursive = true,
    };

    public Option<string?> Credentials { get; } = new("--credentials")
    {
        Description = "A credentials file such as <data-dir>/dev-credentials.json: {\"emitter\": NAME, \"token\": TOKEN}.",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Url);
        root.Options.Add(Token);
        root.Options.Add(Credentials);
    }

    /// <summary>The connection settings of this invocation; reads the credentials file only when it is given.</summary>
    public Connection Resolve(ParseResult parse, CliHost host)
    {
        var text = parse.GetValue(Url) ?? NonEmpty(host.Environment(UrlVariable)) ?? DefaultUrl;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw CliException.Usage($"--url must be an absolute http:// or https:// URL, not '{text}'.");
        }

        var credentials = parse.GetValue(Credentials) is { } path ? CredentialsFile.Read(path) : null;
        var token = parse.GetValue(Token) ?? NonEmpty(host.Environment(TokenVariable)) ?? credentials?.Token;
        return new Connection(url, token, credentials);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>Where the ledger is, the bearer token (if any) and the credentials file it may have come from.</summary>
internal sealed record Connection(Uri Url, string? Token, CredentialsFile? Credentials);
