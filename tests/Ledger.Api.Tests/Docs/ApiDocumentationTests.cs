using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ledger.Api.Hosting;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Application.Hosting;

namespace Ledger.Api.Tests.Docs;

/// <summary>docs/API.md stays in step with the OpenAPI document the server serves and with the code.</summary>
public sealed partial class ApiDocumentationTests(LedgerAppFixture fixture) : IClassFixture<LedgerAppFixture>
{
    // Served by the framework, described in API.md, not part of the document it serves.
    private static readonly (string Method, string Path) OpenApiRoute = ("GET", "/openapi/v1.json");

    private static readonly string Repository =
        typeof(ApiDocumentationTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private static readonly Lazy<string> ApiMd = new(() => File.ReadAllText(Path.Combine(Repository, "docs", "API.md")));

    [Fact]
    public async Task Every_route_of_the_openapi_document_is_described_with_exactly_the_statuses_it_declares()
    {
        var documented = DocumentedRoutes();

        foreach (var (route, statuses) in await OpenApiRoutesAsync())
        {
            documented.ShouldContainKey(route, $"docs/API.md has no section '### `{route.Method} {route.Path}`'");
            documented[route].Order().ShouldBe(statuses.Order(), $"the statuses of {route.Method} {route.Path} in docs/API.md");
        }
    }

    [Fact]
    public async Task Api_md_describes_no_route_the_openapi_document_lacks()
    {
        var served = (await OpenApiRoutesAsync()).Keys.Append(OpenApiRoute).ToHashSet();

        DocumentedRoutes().Keys.Where(r => !served.Contains(r)).ShouldBeEmpty("routes in docs/API.md that the server does not serve");
    }

    [Fact]
    public async Task The_openapi_document_is_served_as_described()
    {
        var app = await fixture.GetAsync(() => Task.FromResult(new LedgerApp("sqlite", null)));
        using var http = app.CreateClient();

        using var response = await http.GetAsync(OpenApiRoute.Path);

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        DocumentedRoutes()[OpenApiRoute].ShouldBe(["200"]);
    }

    [Fact]
    public async Task The_openapi_document_names_the_bearer_scheme_on_exactly_the_operations_that_answer_401()
    {
        var app = await fixture.GetAsync(() => Task.FromResult(new LedgerApp("sqlite", null)));
        using var http = app.CreateClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync(OpenApiRoute.Path));

        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        scheme.GetProperty("type").GetString().ShouldBe("http");
        scheme.GetProperty("scheme").GetString().ShouldBe("bearer");
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var secured = operation.Value.TryGetProperty("security", out var security) && security.GetRawText().Contains("\"Bearer\"", StringComparison.Ordinal);
                var answers401 = operation.Value.GetProperty("responses").TryGetProperty("401", out _);
                secured.ShouldBe(answers401, $"{operation.Name} {path.Name}: security and the 401 answer go together");
            }
        }

        DocumentedRoutes().Where(r => r.Value.Contains("401")).Select(r => r.Key.Path).ShouldContain("/v1/streams/{stream}/events");
    }

    [Fact]
    public void Every_problem_type_the_api_answers_is_in_the_catalogue_and_the_catalogue_holds_no_other()
    {
        var source = string.Join('\n', Directory.EnumerateFiles(Path.Combine(Repository, "Ledger.Api"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var answered = ProblemSlugInCode().Matches(source).Select(m => m.Groups["slug"].Value).ToHashSet();
        answered.ShouldContain("lifecycle-violation"); // the scan sees the slugs (a guard against a pattern that matches nothing)
        answered.ShouldContain("method-not-allowed");

        var catalogue = CatalogueRow().Matches(Section("## Problem types")).Select(m => m.Groups["slug"].Value).ToList();

        catalogue.ShouldBeUnique();
        answered.Where(s => !catalogue.Contains(s)).ShouldBeEmpty("problem types the API answers that docs/API.md does not list");
        catalogue.Where(s => !answered.Contains(s)).ShouldBeEmpty("problem types docs/API.md lists that the API never answers");
    }

    [Fact]
    public void Every_configuration_key_is_described()
    {
        var keys = typeof(LedgerOptions).GetProperties().Where(p => p.Name != nameof(LedgerOptions.Limits)).Select(p => "Ledger:" + p.Name)
            .Concat(typeof(LedgerLimits).GetProperties().Select(p => "Ledger:Limits:" + p.Name));

        var configuration = Section("## Configuration");

        keys.Where(k => !configuration.Contains($"| `{k}` |", StringComparison.Ordinal)).ShouldBeEmpty("configuration keys docs/API.md does not describe");
    }

    private async Task<Dictionary<(string Method, string Path), List<string>>> OpenApiRoutesAsync()
    {
        var app = await fixture.GetAsync(() => Task.FromResult(new LedgerApp("sqlite", null)));
        using var http = app.CreateClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync(OpenApiRoute.Path));
        var routes = new Dictionary<(string, string), List<string>>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                routes[(operation.Name.ToUpperInvariant(), path.Name)] = [.. operation.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name)];
            }
        }

        routes.Count.ShouldBeGreaterThan(10);
        return routes;
    }

    private static Dictionary<(string Method, string Path), List<string>> DocumentedRoutes()
    {
        var text = ApiMd.Value;
        var headings = RouteHeading().Matches(text).ToList();
        headings.ShouldNotBeEmpty();
        var routes = new Dictionary<(string, string), List<string>>();
        foreach (var heading in headings)
        {
            var start = heading.Index + heading.Length;
            var next = text.IndexOf("\n#", start, StringComparison.Ordinal);
            var section = next < 0 ? text[start..] : text[start..next];
            var route = (heading.Groups["method"].Value, heading.Groups["path"].Value);
            routes.ContainsKey(route).ShouldBeFalse($"docs/API.md describes {route} twice");
            routes[route] = [.. StatusRow().Matches(section).Select(m => m.Groups["status"].Value).Distinct()];
        }

        return routes;
    }

    private static string Section(string heading)
    {
        var text = ApiMd.Value;
        var start = text.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, $"docs/API.md has no '{heading}'");
        var next = text.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return next < 0 ? text[start..] : text[start..next];
    }

    [GeneratedRegex(@"^### `(?<method>GET|POST|PUT|DELETE|PATCH) (?<path>/\S*)`$", RegexOptions.Multiline)]
    private static partial Regex RouteHeading();

    [GeneratedRegex(@"^\| (?<status>\d{3}) \|", RegexOptions.Multiline)]
    private static partial Regex StatusRow();

    [GeneratedRegex(@"^\| `(?<slug>[a-z-]+)` \| \d{3} \|", RegexOptions.Multiline)]
    private static partial Regex CatalogueRow();

    // Problem(status, "slug", ...), TypeBase + "slug", and the framework mapping's ("slug", "title") pairs.
    [GeneratedRegex(@"Problem\(\s*(?:\d{3}|StatusCodes\.\w+),\s*""(?<slug>[a-z-]+)""|TypeBase \+ ""(?<slug>[a-z-]+)""|=> \(""(?<slug>[a-z-]+)"", """)]
    private static partial Regex ProblemSlugInCode();
}
