using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Ledger.Cli;

/// <summary>
/// Sends one request to the ledger. A refusal (any non-2xx answer) becomes a <see cref="CliException"/> with exit code
/// <see cref="ExitCodes.ServerRefused"/> carrying the problem details; an unreachable ledger or a timeout becomes
/// <see cref="ExitCodes.ConnectionError"/>.
/// </summary>
internal sealed class LedgerClient(CliHost host, Connection connection) : IDisposable
{
    private readonly HttpClient _http = host.CreateHttpClient();

    public Connection Connection { get; } = connection;

    public string RequireToken() =>
        Connection.Token ?? throw CliException.Usage(
            $"This command needs a bearer token: pass --token, set ${GlobalOptions.TokenVariable} or pass --credentials FILE.");

    /// <summary>Sends the request and returns a successful response (the caller disposes it).</summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string pathAndQuery, HttpContent? content, bool authenticate, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(method, new Uri(Connection.Url, pathAndQuery)) { Content = content };
        if (authenticate)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RequireToken());
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.ConnectionError, $"Cannot reach the ledger at {Connection.Url}: {Describe(e)}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.ConnectionError,
                string.Create(CultureInfo.InvariantCulture, $"The ledger at {Connection.Url} did not answer within {_http.Timeout.TotalSeconds:0} s."));
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var report = await ProblemReport.ReadAsync(response, ct).ConfigureAwait(false);
            throw new CliException(ExitCodes.ServerRefused, report);
        }
    }

    public async Task<string> GetTextAsync(string pathAndQuery, bool authenticate, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, pathAndQuery, null, authenticate, ct).ConfigureAwait(false);
        return await ReadTextAsync(response, ct).ConfigureAwait(false);
    }

    public async Task<JsonElement> SendJsonAsync(HttpMethod method, string pathAndQuery, object? body, CancellationToken ct)
    {
        using var content = body is null ? null : JsonContent(JsonSerializer.SerializeToUtf8Bytes(body, JsonDefaults.Web));
        using var response = await SendAsync(method, pathAndQuery, content, authenticate: true, ct).ConfigureAwait(false);
        return await ReadJsonAsync(response, ct).ConfigureAwait(false);
    }

    public static ByteArrayContent JsonContent(byte[] utf8)
    {
        var content = new ByteArrayContent(utf8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var bytes = await ReadBytesAsync(response, ct).ConfigureAwait(false);
        if (bytes.Length == 0)
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.ServerRefused, $"The ledger answered {(int)response.StatusCode} with a body that is not JSON: {e.Message}");
        }
    }

    public static async Task<string> ReadTextAsync(HttpResponseMessage response, CancellationToken ct) =>
        Encoding.UTF8.GetString(await ReadBytesAsync(response, ct).ConfigureAwait(false));

    public void Dispose() => _http.Dispose();

    private static async Task<byte[]> ReadBytesAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.ConnectionError, $"The connection to the ledger broke while reading its answer: {Describe(e)}");
        }
    }

    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (var inner = (Exception?)e; inner is not null; inner = inner.InnerException)
        {
            if (!messages.Contains(inner.Message, StringComparer.Ordinal))
            {
                messages.Add(inner.Message);
            }
        }

        return string.Join(" ", messages);
    }
}
