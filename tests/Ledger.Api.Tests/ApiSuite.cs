using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Log;

namespace Ledger.Api.Tests;

/// <summary>
/// The whole API in process, run on each engine by a derived class: every test talks HTTP to the app and
/// reads the log back through the API. Tests of one class share one ledger and run one after another, so a
/// test may compare the log before and after its request.
/// </summary>
public abstract partial class ApiSuite : IAsyncLifetime
{
    protected const string ProblemBase = "https://ledger.dev/problems/";

    private HttpClient? _http;
    private LedgerApp? _app;

    protected LedgerApp App => _app ?? throw new InvalidOperationException("Not initialized.");

    protected HttpClient Http => _http ?? throw new InvalidOperationException("Not initialized.");

    protected string DevToken => App.FirstStart.DevToken;

    protected string AdminToken => App.FirstStart.AdminToken;

    protected string Origin => App.Node.Origin;

    /// <summary>
    /// The suite's ledger settings: it is home for two domains no other test speaks for (the governance tests), so
    /// every other test keeps the rule of domains without a home.
    /// </summary>
    protected static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Ledger:HomeDomains:0"] = HomeDomain,
        ["Ledger:HomeDomains:1"] = UnpublishedHomeDomain,
    };

    /// <summary>A domain this suite's ledger is home for; the governance tests publish its policy.</summary>
    protected const string HomeDomain = "home.example";

    /// <summary>A domain this suite's ledger is home for whose policy is published only by the staleness test.</summary>
    protected const string UnpublishedHomeDomain = "home-unpublished.example";

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    protected abstract string Engine { get; }

    /// <summary>The running app for this engine (shared by the class).</summary>
    protected abstract Task<LedgerApp> StartAsync();

    /// <summary>A second node of the same ledger (same store, same data directory), not started yet.</summary>
    protected abstract Task<LedgerApp> StartAnotherNodeAsync(LedgerApp first);

    public async Task InitializeAsync()
    {
        _app = await StartAsync();
        // The clock is shared by the class and only moves forward: the ledger's recordedAt never decreases.
        _http = _app.CreateClient();
    }

    public Task DisposeAsync()
    {
        _http?.Dispose();
        return Task.CompletedTask;
    }

    protected static string NewId(string hint) => hint + "-" + Guid.NewGuid().ToString("N")[..10];

    protected Story NewStory(string hint, IReadOnlyList<string>? scope = null, Story? parent = null, string domain = Story.DefaultDomain) =>
        new(NewId(hint), App.Clock.GetUtcNow(), domain, scope, parent is null ? null : (Origin, parent.Id), parent?.ExpiresAt);

    protected async Task<HttpResponseMessage> AppendAsync(string stream, JsonNode body, string? token = null)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await SendAsync(HttpMethod.Post, $"/v1/streams/{stream}/events", content, token ?? DevToken);
    }

    protected async Task<HttpResponseMessage> PostRawAsync(string stream, byte[] body, string? contentType, string? token)
    {
        using var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return await SendAsync(HttpMethod.Post, $"/v1/streams/{stream}/events", content, token);
    }

    protected async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, string? token)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request);
    }

    protected async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, JsonNode? body = null, string? token = null)
    {
        using var content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await SendAsync(method, path, content, token ?? AdminToken);
    }

    protected Task<HttpResponseMessage> GetAsync(string path, string? token = null) => SendAsync(HttpMethod.Get, path, null, token);

    /// <summary>Appends the events one by one from <paramref name="fromVersion"/>, each expecting 201; returns their positions.</summary>
    protected async Task<IReadOnlyList<long>> RunAsync(Story story, long fromVersion, params JsonObject[] events)
    {
        var positions = new List<long>();
        var version = fromVersion;
        foreach (var e in events)
        {
            var json = await CreatedAsync(await AppendAsync(story.Stream, Story.Body(version, e)));
            positions.Add(json.GetProperty("positions")[0].GetInt64());
            version++;
        }

        return positions;
    }

    /// <summary>Asserts 201 and returns the body.</summary>
    protected static async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a problem details answer with <paramref name="status"/> and type <paramref name="slug"/>; returns it.</summary>
    protected static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string slug)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        problem.GetProperty("type").GetString().ShouldBe(ProblemBase + slug, text);
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        return problem;
    }

    /// <summary>
    /// Sends a request that must be refused with <paramref name="status"/> and problem <paramref name="slug"/>, and
    /// checks that the log did not change: the same tree size and the same latest entries before and after.
    /// </summary>
    protected async Task<JsonElement> RefusedWithoutAppendAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode status, string slug)
    {
        var before = await LogAsync();
        using var response = await send();
        var problem = await ProblemAsync(response, status, slug);
        var after = await LogAsync();
        after.Size.ShouldBe(before.Size, "the log grew");
        after.Latest.ShouldBe(before.Latest, "the latest entries changed");
        return problem;
    }

    /// <summary>The tree size and the canonical bytes of the latest entries, read through the API.</summary>
    protected async Task<LogState> LogAsync()
    {
        var size = await App.Node.Store.GetTreeSizeAsync();
        var latest = await EntriesAsync(Math.Max(0, size - 3), 10);
        return new LogState(size, latest);
    }

    /// <summary><c>GET /v1/log/entries</c>, one canonical entry per line.</summary>
    protected async Task<IReadOnlyList<string>> EntriesAsync(long start, int limit)
    {
        using var response = await GetAsync(string.Create(CultureInfo.InvariantCulture, $"/v1/log/entries?start={start}&limit={limit}"));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/x-ndjson");
        if (text.Length > 0)
        {
            text.ShouldEndWith("\n");
        }

        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    protected async Task<LedgerEntry> EntryAsync(long position)
    {
        var lines = await EntriesAsync(position, 1);
        lines.Count.ShouldBe(1);
        return LedgerEntry.Parse(Encoding.UTF8.GetBytes(lines[0]));
    }

    /// <summary>Signs a checkpoint now (admin) and returns the signed note.</summary>
    protected async Task<string> SignCheckpointAsync()
    {
        using var response = await AdminAsync(HttpMethod.Post, "/v1/admin/checkpoint");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return text;
    }

    protected static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    protected sealed record LogState(long Size, IReadOnlyList<string> Latest);
}
