using Ledger.Application.Federation;

namespace Ledger.Api.Federation;

/// <summary>The HTTP of federation: one named <see cref="HttpClient"/> from the factory, its timeout <c>Ledger:PeerTimeout</c>.</summary>
public sealed class HttpPeerTransport(IHttpClientFactory clients) : IPeerTransport
{
    /// <summary>The name of the HTTP client.</summary>
    public const string ClientName = "ledger-peer";

    /// <inheritdoc />
    public async Task<PeerReply> GetAsync(Uri url, CancellationToken ct)
    {
        using var client = clients.CreateClient(ClientName);
        using var response = await client.GetAsync(url, ct).ConfigureAwait(false);
        return new PeerReply((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
    }
}
