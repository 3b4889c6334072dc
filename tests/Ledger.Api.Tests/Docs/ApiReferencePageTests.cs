using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests.Docs;

/// <summary>The API reference page at <c>/docs</c> renders the OpenAPI document with assets the ledger serves itself.</summary>
public sealed partial class ApiReferencePageTests(LedgerAppFixture fixture) : IClassFixture<LedgerAppFixture>
{
    [Fact]
    public async Task The_reference_page_loads_its_scripts_and_the_document_from_the_ledger_and_nothing_from_elsewhere()
    {
        var app = await fixture.GetAsync(() => Task.FromResult(new LedgerApp("sqlite", null)));
        using var http = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using (var bare = await http.GetAsync("/docs"))
        {
            bare.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            bare.Headers.Location!.ToString().ShouldEndWith("docs/");
        }

        using var page = await http.GetAsync("/docs/");
        var html = await page.Content.ReadAsStringAsync();
        page.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");

        var assets = Asset().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        assets.ShouldNotBeEmpty();
        foreach (var asset in assets)
        {
            Uri.TryCreate(asset, UriKind.Absolute, out _).ShouldBeFalse($"{asset} is loaded from elsewhere");
            using var served = await http.GetAsync(new Uri(new Uri("http://localhost/docs/"), asset));
            served.StatusCode.ShouldBe(HttpStatusCode.OK, asset);
            (await served.Content.ReadAsByteArrayAsync()).Length.ShouldBeGreaterThan(100, asset);
        }

        // The page's configuration: the document is the ledger's own, and no web fonts, telemetry or hosted agent.
        var configuration = JsonDocument.Parse(Configuration().Match(html).Groups["json"].Value).RootElement;
        configuration.GetProperty("withDefaultFonts").GetBoolean().ShouldBeFalse();
        configuration.GetProperty("telemetry").GetBoolean().ShouldBeFalse();
        configuration.GetProperty("agent").GetProperty("disabled").GetBoolean().ShouldBeTrue();
        var source = configuration.GetProperty("sources")[0].GetProperty("url").GetString()!;
        Uri.TryCreate(source, UriKind.Absolute, out _).ShouldBeFalse();
        // scalar.aspnetcore.js resolves it against the application's base (the page's path less /docs/).
        using var document = await http.GetAsync("/" + source);
        document.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonDocument.Parse(await document.Content.ReadAsStringAsync()).RootElement.GetProperty("openapi").GetString()!.ShouldStartWith("3.");
    }

    [GeneratedRegex("(?:src|href)=\"(?<url>[^\"]+)\"")]
    private static partial Regex Asset();

    [GeneratedRegex("""initialize\(\s*'[^']*',\s*(?:true|false),\s*(?<json>\{.*\}),""")]
    private static partial Regex Configuration();
}
