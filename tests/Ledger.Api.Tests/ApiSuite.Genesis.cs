using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests;

public abstract partial class ApiSuite
{
    [Fact]
    public async Task First_start_creates_the_key_the_parameters_the_dev_emitter_and_its_credentials()
    {
        var key = Path.Combine(App.DataDir, "ledger.key");
        File.Exists(key).ShouldBeTrue();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(key).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.GetUnixFileMode(Path.Combine(App.DataDir, "dev-credentials.json")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(App.DataDir, "dev-credentials.json")));
        credentials.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["emitter", "token"]);
        credentials.RootElement.GetProperty("emitter").GetString().ShouldBe("dev");
        credentials.RootElement.GetProperty("token").GetString().ShouldBe(DevToken);

        var parameters = await JsonAsync(await GetAsync("/v1/streams/$ledger/events"));
        parameters.GetProperty("entries")[0].GetProperty("type").GetString().ShouldBe("ledger.policy-configured.v1");
        var emitters = await JsonAsync(await AdminAsync(HttpMethod.Get, "/v1/admin/emitters"));
        var dev = emitters.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "dev");
        dev.GetProperty("domains").EnumerateArray().Select(d => d.GetString()).ShouldBe(["*"]);
        dev.GetProperty("signaturesRequired").GetBoolean().ShouldBeFalse();
        dev.GetProperty("publicKey").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Tokens_are_recorded_only_as_hashes_of_their_secrets()
    {
        var tokens = await JsonAsync(await GetAsync("/v1/streams/$tokens/events?limit=1000"));
        var text = tokens.GetRawText();

        foreach (var token in new[] { AdminToken, DevToken })
        {
            var (id, secret) = SplitToken(token);
            text.ShouldNotContain(secret);
            var minted = tokens.GetProperty("entries").EnumerateArray()
                .Single(e => e.GetProperty("type").GetString() == "token.minted.v1" && e.GetProperty("data").GetProperty("tokenId").GetString() == id);
            minted.GetProperty("data").GetProperty("secretHash").GetString()
                .ShouldBe("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))));
        }
    }

    [Fact]
    public async Task A_second_node_on_the_same_store_does_not_create_another_genesis()
    {
        var tokens = await App.Node.Store.GetStreamVersionAsync("$tokens");
        var emitters = await App.Node.Store.GetStreamVersionAsync("$emitters");
        var key = await (await GetAsync("/v1/log/key")).Content.ReadAsStringAsync();

        await using var second = await StartAnotherNodeAsync(App);
        using var http = second.CreateClient();

        second.CreatedTheLedger.ShouldBeFalse();
        (await http.GetStringAsync("/v1/log/key")).ShouldBe(key);
        (await App.Node.Store.GetStreamVersionAsync("$tokens")).ShouldBe(tokens);
        (await App.Node.Store.GetStreamVersionAsync("$emitters")).ShouldBe(emitters);
        var story = NewStory("second-node");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/streams/{story.Stream}/events")
        {
            Content = new StringContent(Story.Body(0, story.Intent()).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", DevToken);
        (await http.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await DecisionAsync(story.Id)).GetProperty("status").GetString().ShouldBe("declared");
    }

    [Fact]
    public async Task Health_answers_ok()
    {
        var health = await JsonAsync(await GetAsync("/healthz"));
        health.GetProperty("status").GetString().ShouldBe("ok");
    }

    private static (string Id, string Secret) SplitToken(string token)
    {
        token.ShouldStartWith("glt_");
        var rest = token["glt_".Length..];
        var separator = rest.IndexOf('_', StringComparison.Ordinal);
        return (rest[..separator], rest[(separator + 1)..]);
    }
}
