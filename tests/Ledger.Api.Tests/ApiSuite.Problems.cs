using System.Net;
using System.Text;

namespace Ledger.Api.Tests;

// Errors the framework answers before a handler runs carry types from the ledger's catalogue too.
public abstract partial class ApiSuite
{
    [Fact]
    public async Task A_path_with_no_route_is_a_not_found_problem()
    {
        await ProblemAsync(await GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_method_the_route_does_not_have_is_a_method_not_allowed_problem()
    {
        await RefusedWithoutAppendAsync(() => SendAsync(HttpMethod.Delete, "/v1/log/checkpoint", null, AdminToken), HttpStatusCode.MethodNotAllowed, "method-not-allowed");
    }

    [Theory]
    [InlineData("{\"name\": \"x\",")]
    [InlineData("{\"name\": 5}")]
    [InlineData("")]
    public async Task An_admin_body_that_does_not_read_as_json_is_a_bad_request(string body)
    {
        await RefusedWithoutAppendAsync(
            () => SendAsync(HttpMethod.Post, "/v1/admin/emitters", new StringContent(body, Encoding.UTF8, "application/json"), AdminToken),
            HttpStatusCode.BadRequest,
            "bad-request");
    }

    [Theory]
    [InlineData("/v1/log/receipt/first")]
    [InlineData("/v1/log/proof/inclusion?index=one")]
    [InlineData("/v1/log/entries?limit=all")]
    [InlineData("/v1/streams/$ledger/events?from=x")]
    [InlineData("/v1/export?from=0&to=end")]
    public async Task A_number_parameter_that_is_not_a_number_is_a_bad_request(string path)
    {
        await ProblemAsync(await GetAsync(path), HttpStatusCode.BadRequest, "bad-request");
    }

    [Fact]
    public async Task An_admin_body_that_is_not_json_is_unsupported()
    {
        await RefusedWithoutAppendAsync(
            () => SendAsync(HttpMethod.Post, "/v1/admin/tokens", new StringContent("{\"subject\":\"dev\"}", Encoding.UTF8, "text/plain"), AdminToken),
            HttpStatusCode.UnsupportedMediaType,
            "unsupported-media-type");
    }

    [Theory]
    [InlineData("/v1/log/entries?start=0&x=")]
    [InlineData("/v1/admin/emitters/")]
    public async Task A_request_target_over_the_limit_is_a_uri_too_long_problem(string prefix)
    {
        var path = prefix + new string('a', Ledger.Api.Hosting.RequestLimits.MaxTargetBytes + 1 - prefix.Length);

        var problem = await RefusedWithoutAppendAsync(() => SendAsync(HttpMethod.Delete, path, null, AdminToken), HttpStatusCode.RequestUriTooLong, "uri-too-long");

        problem.GetProperty("detail").GetString()!.ShouldContain("the limit is 8192");
    }

    [Fact]
    public async Task A_request_target_at_the_limit_is_served()
    {
        var prefix = "/v1/log/entries?start=0&limit=1&x=";
        var path = prefix + new string('a', Ledger.Api.Hosting.RequestLimits.MaxTargetBytes - prefix.Length);

        (await GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("one large header")]
    [InlineData("many headers")]
    public async Task Request_headers_over_the_limit_are_a_headers_too_large_problem(string shape)
    {
        var problem = await RefusedWithoutAppendAsync(
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/checkpoint");
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
                if (shape == "many headers")
                {
                    for (var i = 0; i < Ledger.Api.Hosting.RequestLimits.MaxHeaderCount; i++)
                    {
                        request.Headers.Add($"X-Filler-{i}", "x");
                    }
                }
                else
                {
                    request.Headers.Add("X-Filler", new string('x', Ledger.Api.Hosting.RequestLimits.MaxHeaderBytes));
                }

                return await Http.SendAsync(request);
            },
            HttpStatusCode.RequestHeaderFieldsTooLarge,
            "headers-too-large");

        problem.GetProperty("detail").GetString()!.ShouldContain(shape == "many headers" ? "the limit is 100" : "the limit is 32768");
    }
}
