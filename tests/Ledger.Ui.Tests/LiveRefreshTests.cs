using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;

namespace Ledger.Ui.Tests;

[Collection(UiTestGroup.Name)]
public sealed class LiveRefreshTests(UiFixture fixture) : UiTest(fixture)
{
    [Fact]
    public async Task The_dashboard_and_the_log_show_a_new_append_without_a_reload()
    {
        await using var server = await UiServer.StartAsync(0);
        var page = await SignedInAsync(server);
        var total = page.Locator("#live-dashboard .card .num").First;
        (await total.InnerTextAsync()).ShouldBe("0");
        // A reload would lose this.
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        await AppendIntentAsync(server, "live-1");

        await Assertions.Expect(total).ToHaveTextAsync("1", new() { Timeout = 30_000 });
        (await page.EvaluateAsync<bool>("() => window.notReloaded === true")).ShouldBeTrue("the dashboard was reloaded, not refreshed in place");
        (await page.Locator("#live-dashboard").InnerTextAsync()).ShouldContain("declared");

        await page.GotoAsync("/ui/log");
        var summary = page.Locator("#live-log-summary");
        var before = await server.Node.Store.GetTreeSizeAsync();
        (await summary.InnerTextAsync()).ShouldContain(before.ToString("N0", CultureInfo.InvariantCulture) + " entries");
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        await AppendIntentAsync(server, "live-2");

        await Assertions.Expect(summary).ToContainTextAsync((before + 1).ToString("N0", CultureInfo.InvariantCulture) + " entries", new() { Timeout = 30_000 });
        (await page.EvaluateAsync<bool>("() => window.notReloaded === true")).ShouldBeTrue("the log page was reloaded, not refreshed in place");
        await AccessibleAsync(page);
        await server.ExportVerifiesAsync();
    }

    [Fact]
    public async Task Ui_pages_carry_a_content_security_policy_without_unsafe_inline_and_the_script_runs_under_it()
    {
        var page = await SignedInAsync();
        foreach (var path in new[] { "/ui", "/ui/log", "/ui/executions", "/ui/peers" })
        {
            var response = await page.GotoAsync(path);
            var policy = (await response!.HeaderValueAsync("content-security-policy"))!;
            policy.ShouldBe(Ledger.Api.Ui.UiServices.ContentSecurityPolicy);
            policy.ShouldContain("script-src 'self';");
            policy.ShouldNotContain("unsafe-inline");
            (await response.HeaderValueAsync("x-content-type-options")).ShouldBe("nosniff");
        }

        await page.GotoAsync("/ui");
        // ui.js ran: it put the local time on every time element, and the first refresh comes within its interval.
        (await page.Locator("time").First.GetAttributeAsync("title"))!.ShouldContain("your local time");
        var refresh = await page.WaitForResponseAsync(r => r.Request.ResourceType == "fetch", new() { Timeout = 30_000 });
        refresh.Status.ShouldBe(200);
        (await page.EvaluateAsync<string[]>("() => window.cspViolations")).ShouldBeEmpty();

        // An inline script injected into the page does not run, and the violation is seen (what the other tests check).
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.appendChild(s); }");
        await page.WaitForFunctionAsync("() => window.cspViolations.length > 0");
        (await page.EvaluateAsync<bool>("() => window.injected === undefined")).ShouldBeTrue();
        (await page.EvaluateAsync<string[]>("() => window.cspViolations")).ShouldHaveSingleItem().ShouldStartWith("script-src");
    }

    [Fact]
    public async Task With_script_off_the_live_pages_are_whole_and_nothing_refreshes()
    {
        var page = await SignedInAsync(javaScript: false);
        (await page.Locator("#live-dashboard .card").CountAsync()).ShouldBeGreaterThan(4);
        await page.GotoAsync("/ui/log");
        (await page.Locator("#live-checkpoints table").CountAsync()).ShouldBe(1);
        (await page.Locator("#live-log-summary").InnerTextAsync()).ShouldContain("entries");
    }

    [Fact]
    public async Task Live_refresh_stops_when_the_session_ends_and_leaves_the_page_as_it_was()
    {
        var token = await Full.MintAsync("live-refresh-ends", "viewer");
        var page = await SignedInAsync(token: token);
        var fetches = 0;
        page.Request += (_, request) =>
        {
            if (request.ResourceType == "fetch")
            {
                Interlocked.Increment(ref fetches);
            }
        };
        await page.WaitForRequestAsync(r => r.ResourceType == "fetch", new() { Timeout = 30_000 });
        var shown = await page.Locator("#live-dashboard").InnerTextAsync();

        await Full.RevokeAsync(token);

        // The next refresh is sent to the sign-in page; the script stops there and changes nothing.
        await page.WaitForRequestAsync(r => r.ResourceType == "fetch" && r.Url.Contains("/ui/signin", StringComparison.Ordinal), new() { Timeout = 30_000 });
        await page.WaitForTimeoutAsync(1_000);
        var seen = Volatile.Read(ref fetches);
        await page.WaitForTimeoutAsync(12_000);
        Volatile.Read(ref fetches).ShouldBe(seen, "the page kept refreshing after its session ended");
        page.Url.ShouldEndWith("/ui");
        (await page.Locator("#live-dashboard").InnerTextAsync()).ShouldBe(shown);
    }

    private static async Task AppendIntentAsync(UiServer server, string id)
    {
        var body = "{\"expectedVersion\":0,\"events\":[{\"eventId\":\"" + id + "-intent\",\"type\":\"execution.intent-declared.v1\"," +
            "\"domain\":\"aws.example\",\"occurredAt\":\"2025-01-01T00:00:00Z\"," +
            "\"data\":{\"executionId\":\"" + id + "\",\"actor\":\"spiffe://aws.example/job\",\"action\":\"export\",\"resources\":[\"s3://invoices\"]," +
            "\"requestedScope\":[\"invoices:read\"],\"targetDomains\":[\"aws.example\"],\"parent\":null}}]}";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/streams/execution-{id}/events")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.DevToken);
        using var response = await server.Http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
