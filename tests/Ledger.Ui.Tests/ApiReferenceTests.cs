using Microsoft.Playwright;

namespace Ledger.Ui.Tests;

/// <summary>The API reference page (<c>/docs/</c>) renders the OpenAPI document in a real browser from the ledger alone.</summary>
[Collection(UiTestGroup.Name)]
public sealed class ApiReferenceTests(UiFixture fixture) : UiTest(fixture)
{
    [Fact]
    public async Task The_api_reference_renders_every_tag_and_requests_nothing_from_another_origin()
    {
        var page = await NewPageAsync(Fixture.Empty);
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);

        var response = await page.GotoAsync("/docs/");
        response!.Status.ShouldBe(200);
        // Rendered from the document: the title, a tag's description and an operation's summary.
        await page.GetByText("Governed Execution Ledger").First.WaitForAsync();
        await page.GetByText("Append events to an execution stream").First.WaitForAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await ScreenshotAsync(page, "api-reference");

        requests.ShouldContain(u => u.EndsWith("/openapi/v1.json", StringComparison.Ordinal));
        var origin = new Uri(Fixture.Empty.BaseUrl).GetLeftPart(UriPartial.Authority);
        requests.Where(u => !u.StartsWith(origin + "/", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal) && !u.StartsWith("blob:", StringComparison.Ordinal))
            .ShouldBeEmpty("requests to another origin");
    }
}
