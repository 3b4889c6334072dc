using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;

namespace Ledger.Api.Tests.EndToEnd;

/// <summary>The README's story against the real process, over real HTTP, on a temporary data directory.</summary>
public sealed class RealProcessTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ledger-e2e-").FullName;

    private string DataDir => Path.Combine(_root, "data");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in the temporary directory.
        }
    }

    [Fact]
    public async Task The_readme_story_runs_over_http_against_the_real_process_and_survives_a_restart()
    {
        await using var ledger = await LedgerProcess.StartAsync(DataDir, _root, "--Ledger:CheckpointInterval", "00:00:01");
        using var http = new HttpClient { BaseAddress = ledger.Address, Timeout = TimeSpan.FromSeconds(60) };
        var devToken = await DevTokenAsync();
        ledger.AdminToken.ShouldNotBeNull(ledger.Output);

        // Five minutes with curl: one execution through every phase.
        var now = DateTimeOffset.UtcNow;
        var demo1 = new Story("demo-1", now);
        var positions = new List<long>();
        var version = 0;
        foreach (var e in demo1.Complete())
        {
            var created = await JsonAsync(await AppendAsync(http, devToken, demo1.Stream, Story.Body(version++, e)), HttpStatusCode.Created);
            positions.Add(created.GetProperty("positions")[0].GetInt64());
        }

        positions.ShouldBe([4L, 5, 6, 7, 8, 9, 10]); // the README's positions on a fresh ledger
        var receiptText = await WaitForReceiptAsync(http, 10);
        var key = (await http.GetStringAsync("/v1/log/key")).Trim();
        var receipt = TlogProof.Parse(receiptText);
        receipt.VerifyLedgerEntry(new NoteVerifierSet(NoteVerifier.Parse(key)), "ledger.local/log").ShouldBeOfType<TlogProofCheck.Verified>();
        LedgerEntry.Parse(receipt.Extra!.Value.Span).EventId.ShouldBe("demo-1-completed");

        // Fail closed: the child asks for more than its parent holds.
        var demo2 = new Story("demo-2", now, scope: ["invoices:read"]);
        foreach (var e in demo2.UpToStart())
        {
            await JsonAsync(await AppendAsync(http, devToken, demo2.Stream, Story.Body(-1, e)), HttpStatusCode.Created);
        }

        var demo3 = new Story("demo-3", now, scope: ["invoices:read", "invoices:delete"], parent: ("ledger.local/log", "demo-2"), expiresAt: demo2.ExpiresAt);
        await JsonAsync(await AppendAsync(http, devToken, demo3.Stream, Story.Body(0, demo3.Intent(), demo3.Governance())), HttpStatusCode.Created);
        var problem = await JsonAsync(await AppendAsync(http, devToken, demo3.Stream, Story.Body(2, demo3.Authorization())), HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("reason").GetString().ShouldBe("authorization-scope-exceeded");
        problem.GetProperty("position").GetInt64().ShouldBe(18);
        var denial = LedgerEntry.Parse(Encoding.UTF8.GetBytes((await http.GetStringAsync("/v1/log/entries?start=18&limit=1")).TrimEnd('\n')));
        denial.Type.ShouldBe("execution.denied.v1");
        denial.Data.GetProperty("rejected").GetProperty("digest").GetString().ShouldBe(problem.GetProperty("rejected").GetProperty("digest").GetString());
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/v1/executions/demo-3/decision"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", devToken);
            (await JsonAsync(await http.SendAsync(request), HttpStatusCode.OK)).GetProperty("status").GetString().ShouldBe("denied");
        }

        // What only a real server sees: a chunked body past Kestrel's limit, a NUL in the path. Neither appends.
        var entriesBefore = await http.GetStringAsync("/v1/log/entries?start=0&limit=10000");
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/streams/execution-demo-4/events"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", devToken);
            request.Headers.TransferEncodingChunked = true;
            request.Content = new StreamContent(new NonSeekableStream(new byte[1024 * 1024 + 100 * 1024]));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var tooLarge = await http.SendAsync(request);
            (await JsonAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge)).GetProperty("type").GetString().ShouldBe("https://ledger.dev/problems/body-too-large");
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/streams/execution-a%00b/events"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", devToken);
            request.Content = new StringContent(Story.Body(0, demo1.Intent()).ToJsonString(), Encoding.UTF8, "application/json");
            (await http.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        (await http.GetStringAsync("/v1/log/entries?start=0&limit=10000")).ShouldBe(entriesBefore);
        (await ledger.StopAsync()).ShouldBe(0, ledger.Output);

        // A restart on the same data directory keeps the log, the key and the tokens, and creates no second genesis.
        await using var restarted = await LedgerProcess.StartAsync(DataDir, _root);
        using var again = new HttpClient { BaseAddress = restarted.Address, Timeout = TimeSpan.FromSeconds(60) };
        restarted.AdminToken.ShouldBeNull(restarted.Output);
        (await DevTokenAsync()).ShouldBe(devToken);
        (await again.GetStringAsync("/v1/log/key")).Trim().ShouldBe(key);
        (await again.GetStringAsync("/v1/log/entries?start=0&limit=10000")).ShouldBe(entriesBefore);
        var demo5 = new Story("demo-5", DateTimeOffset.UtcNow);
        (await AppendAsync(again, devToken, demo5.Stream, Story.Body(0, demo5.Intent()))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await restarted.StopAsync()).ShouldBe(0, restarted.Output);
    }

    private async Task<string> DevTokenAsync()
    {
        using var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DataDir, "dev-credentials.json")));
        credentials.RootElement.GetProperty("emitter").GetString().ShouldBe("dev");
        return credentials.RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<HttpResponseMessage> AppendAsync(HttpClient http, string token, string stream, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/streams/{stream}/events")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    // The checkpoint job signs on its interval; the receipt answers 503 until a checkpoint covers the entry.
    private static async Task<string> WaitForReceiptAsync(HttpClient http, long position)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await http.GetAsync($"/v1/log/receipt/{position}");
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return text;
            }

            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, text);
            DateTime.UtcNow.ShouldBeLessThan(deadline, "no checkpoint covered the entry in time");
            await Task.Delay(250);
        }
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
