using System.Net;
using System.Text.Json;
using Ledger.Api.Hosting;
using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests.Hosting;

/// <summary>
/// Over-long targets and over-large headers against the real server: Kestrel parses them before any middleware, so
/// these prove its limits are raised and the ledger's own limits answer with problem details.
/// </summary>
public sealed class RequestLimitsOnKestrelTests : IDisposable
{
    private readonly LedgerApp _app;
    private readonly HttpClient _http;

    public RequestLimitsOnKestrelTests()
    {
        _app = new LedgerApp("sqlite", null, new Dictionary<string, string> { ["urls"] = "http://127.0.0.1:0" });
        _app.UseKestrel(0);
        _http = _app.CreateClient();
    }

    private HttpClient Http => _http;

    public void Dispose()
    {
        _http.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task The_server_is_kestrel_on_a_real_socket()
    {
        Http.BaseAddress!.Scheme.ShouldBe("http");
        Http.BaseAddress.Port.ShouldNotBe(80);
        (await Http.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_target_over_the_ledgers_limit_is_a_uri_too_long_problem()
    {
        using var response = await Http.GetAsync("/v1/log/entries?start=0&x=" + new string('a', RequestLimits.MaxTargetBytes));

        await ShouldBeProblemAsync(response, HttpStatusCode.RequestUriTooLong, "uri-too-long");
    }

    [Fact]
    public async Task Headers_over_the_ledgers_limit_are_a_headers_too_large_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("X-Filler", new string('x', RequestLimits.MaxHeaderBytes + 1));

        using var response = await Http.SendAsync(request);

        await ShouldBeProblemAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge, "headers-too-large");
    }

    [Fact]
    public async Task More_header_fields_than_the_ledgers_limit_are_a_headers_too_large_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        for (var i = 0; i <= RequestLimits.MaxHeaderCount; i++)
        {
            request.Headers.Add($"X-Filler-{i}", "x");
        }

        using var response = await Http.SendAsync(request);

        await ShouldBeProblemAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge, "headers-too-large");
    }

    private static async Task ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status, string slug)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        using var problem = JsonDocument.Parse(text);
        problem.RootElement.GetProperty("type").GetString().ShouldBe("https://ledger.dev/problems/" + slug);
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe((int)status);
    }
}
