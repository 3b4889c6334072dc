using System.Net;

namespace Ledger.Client.Tests;

/// <summary>Passes requests on and counts them; the first <paramref name="lose"/> answers are lost on the way back
/// (the ledger did the work, the client sees a broken connection).</summary>
public sealed class FlakyHandler(HttpMessageHandler inner, int lose = 0) : DelegatingHandler(inner)
{
    private int _lost;

    public int Requests { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        var response = await base.SendAsync(request, cancellationToken);
        if (_lost < lose)
        {
            _lost++;
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            response.Dispose();
            throw new HttpRequestException("The connection was reset while the answer was on its way.");
        }

        return response;
    }
}

/// <summary>Answers every request with one status, without a ledger behind it.</summary>
public sealed class StatusHandler(HttpStatusCode status) : HttpMessageHandler
{
    public int Requests { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent("") });
    }
}
