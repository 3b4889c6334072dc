using System.Collections.Concurrent;
using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests.Federation;

/// <summary>Routes the witness client's requests by host name to in-process ledgers (or to stub answers); an unknown
/// host is a witness that is down.</summary>
public sealed class InProcessRouter
{
    private readonly ConcurrentDictionary<string, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _hosts = new(StringComparer.OrdinalIgnoreCase);

    public void Route(string host, LedgerApp app)
    {
        var invoker = new HttpMessageInvoker(app.Server.CreateHandler(), disposeHandler: true);
        _hosts[host] = invoker.SendAsync;
    }

    public void Route(string host, Func<HttpRequestMessage, HttpResponseMessage> answer) =>
        _hosts[host] = (request, _) => Task.FromResult(answer(request));

    public HttpMessageHandler Handler() => new Forwarder(this);

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
        _hosts.TryGetValue(request.RequestUri!.Host, out var send)
            ? send(request, ct)
            : throw new HttpRequestException($"Connection refused ({request.RequestUri.Host})");

    private sealed class Forwarder(InProcessRouter router) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            router.SendAsync(request, cancellationToken);
    }
}
