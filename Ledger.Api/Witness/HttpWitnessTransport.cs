using Ledger.Application.Witnessing;

namespace Ledger.Api.Witness;

/// <summary>The witness client's HTTP: one named <see cref="HttpClient"/> from the factory, its timeout <c>Ledger:WitnessTimeout</c>.</summary>
public sealed class HttpWitnessTransport(IHttpClientFactory clients) : IWitnessTransport
{
    /// <summary>The name of the HTTP client (tests route it to in-process servers).</summary>
    public const string ClientName = "ledger-witness";

    /// <inheritdoc />
    public async Task<WitnessReply> AddCheckpointAsync(Uri url, string body, CancellationToken ct)
    {
        using var client = clients.CreateClient(ClientName);
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "text/plain");
        content.Headers.ContentType!.CharSet = null;
        using var response = await client.PostAsync(url, content, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        return new WitnessReply((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, text);
    }
}
