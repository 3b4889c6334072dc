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
}
