using System.Net;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Application.Access;

namespace Ledger.Api.Tests;

public abstract partial class ApiSuite
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Basic ZGV2OmRldg==")]
    [InlineData("bearer glt_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("Bearer glt_short")]
    [InlineData("Bearer not-a-ledger-token")]
    [InlineData("Bearer glt_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task An_append_without_a_known_token_is_unauthenticated(string? authorization)
    {
        var story = NewStory("anonymous");
        var problem = await RefusedWithoutAppendAsync(
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/streams/{story.Stream}/events")
                {
                    Content = new StringContent(Story.Body(0, story.Intent()).ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
                };
                if (authorization is not null)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", authorization);
                }

                var response = await Http.SendAsync(request);
                response.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");
                return response;
            },
            HttpStatusCode.Unauthorized,
            "unauthenticated");

        problem.GetProperty("detail").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    public async Task The_bearer_scheme_name_is_case_insensitive(string scheme)
    {
        var story = NewStory("scheme");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/streams/{story.Stream}/events")
        {
            Content = new StringContent(Story.Body(0, story.Intent()).ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", scheme + " " + DevToken);

        await CreatedAsync(await Http.SendAsync(request));
    }

    [Fact]
    public async Task A_token_minted_by_another_process_a_moment_ago_is_accepted_at_once()
    {
        // The registry's clock is the test's and does not move, so its cached snapshot never expires by itself: only
        // the lookup that missed can find the new token. The first request fills that cache.
        (await AdminAsync(HttpMethod.Get, "/v1/admin/emitters")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var minted = await AdminTokens.MintAsync(App.Node.Options, "another-node", App.Clock, CancellationToken.None);

        using (var response = await GetAsync("/v1/admin/emitters", minted.Token))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        var (id, secret) = SplitToken(minted.Token);
        using (var forged = await GetAsync("/v1/admin/emitters", $"glt_{id}_{new string(secret.Reverse().ToArray())}"))
        {
            forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "looking again finds the token, not another secret");
        }

        await ExportVerifiesAsync();
    }

    [Fact]
    public async Task A_known_token_id_with_the_wrong_secret_is_unauthenticated()
    {
        var (id, secret) = SplitToken(DevToken);
        var forged = $"glt_{id}_{new string(secret.Reverse().ToArray())}";
        var story = NewStory("wrong-secret");

        await RefusedWithoutAppendAsync(() => AppendAsync(story.Stream, Story.Body(0, story.Intent()), forged), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task An_expired_token_is_unauthenticated()
    {
        var expiresAt = App.Clock.GetUtcNow().AddMinutes(1);
        var minted = await JsonAsync(
            await AdminAsync(HttpMethod.Post, "/v1/admin/tokens", new JsonObject { ["subject"] = "dev", ["expiresAt"] = expiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture) }),
            HttpStatusCode.Created);
        var token = minted.GetProperty("token").GetString()!;
        var story = NewStory("expiring");
        await CreatedAsync(await AppendAsync(story.Stream, Story.Body(0, story.Intent()), token));

        App.Clock.Advance(TimeSpan.FromMinutes(2));

        var problem = await RefusedWithoutAppendAsync(
            () => AppendAsync(story.Stream, Story.Body(1, story.Governance()), token), HttpStatusCode.Unauthorized, "unauthenticated");
        problem.GetProperty("detail").GetString()!.ShouldContain("expired");
    }

    [Fact]
    public async Task An_admin_token_cannot_append_events()
    {
        var story = NewStory("admin-writes");
        await RefusedWithoutAppendAsync(() => AppendAsync(story.Stream, Story.Body(0, story.Intent()), AdminToken), HttpStatusCode.Forbidden, "forbidden");
    }
}
