using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;

namespace Ledger.Api.Tests.Docs;

/// <summary>
/// The OpenAPI document says what the API does: the lifecycle's closed sets from the Domain, a typed schema per event
/// type, the problems with their members, plain integers, the server the client used, security on every operation;
/// what the API really answers matches it.
/// </summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime, IDisposable
{
    private const string DocumentPath = "/openapi/v1.json";
    private readonly LedgerApp _app = new("sqlite", null);
    private HttpClient _http = null!;
    private JsonDocument _document = null!;

    private JsonElement Document => _document.RootElement;

    public async Task InitializeAsync()
    {
        _http = _app.CreateClient();
        _document = JsonDocument.Parse(await _http.GetStringAsync(DocumentPath));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _document.Dispose();
        _http.Dispose();
        _app.Dispose();
    }

    [Fact]
    public void Integers_are_plain_integers_never_integer_or_string()
    {
        var types = new List<string>();
        Collect(Document, "$", (path, element) =>
        {
            if (element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array)
            {
                types.Add($"{path}: {type.GetRawText()}");
            }
        });

        types.ShouldNotBeEmpty("nullable members are typed [\"null\", ...] (a guard against a scan that sees nothing)");
        types.Where(t => t.Contains("\"integer\"", StringComparison.Ordinal) && t.Contains("\"string\"", StringComparison.Ordinal)).ShouldBeEmpty();
        Document.GetRawText().ShouldNotContain("^-?(?:0|[1-9]\\\\d*)$");
        var version = SchemaCheck.Component(Document, "AppendBody").GetProperty("properties").GetProperty("expectedVersion");
        version.GetProperty("type").GetString().ShouldBe("integer");
        Parameter("/v1/log/entries", "get", "start").GetProperty("schema").GetProperty("type").GetString().ShouldBe("integer");
    }

    [Fact]
    public async Task The_server_is_the_address_the_request_used()
    {
        Document.GetProperty("servers")[0].GetProperty("url").GetString().ShouldBe("http://localhost");

        using var request = new HttpRequestMessage(HttpMethod.Get, DocumentPath);
        request.Headers.Host = "ledger.test:8443";
        using var response = await _http.SendAsync(request);
        using var other = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        other.RootElement.GetProperty("servers").GetArrayLength().ShouldBe(1);
        other.RootElement.GetProperty("servers")[0].GetProperty("url").GetString().ShouldBe("http://ledger.test:8443");
    }

    [Fact]
    public void Every_operation_states_its_security_and_public_ones_state_none()
    {
        var operations = Operations().ToList();
        operations.Count.ShouldBeGreaterThan(20);
        foreach (var (method, path, operation) in operations)
        {
            operation.TryGetProperty("security", out var security).ShouldBeTrue($"{method} {path} states no security");
            var isPublic = !operation.GetProperty("responses").TryGetProperty("401", out _);
            (security.GetArrayLength() == 0).ShouldBe(isPublic, $"{method} {path}: security [] exactly on the public operations");
        }

        operations.Where(o => o.Operation.GetProperty("security").GetArrayLength() == 0).Select(o => o.Path)
            .ShouldContain("/v1/log/checkpoint");
    }

    [Fact]
    public void Every_tag_is_described_and_the_document_names_its_licence()
    {
        var tags = Document.GetProperty("tags").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t);
        var used = Operations().SelectMany(o => o.Operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)).ToHashSet();

        tags.Keys.ShouldBe(used, ignoreOrder: true);
        tags.Values.Where(t => string.IsNullOrWhiteSpace(t.TryGetProperty("description", out var d) ? d.GetString() : null)).ShouldBeEmpty();
        Document.GetProperty("info").GetProperty("license").GetProperty("name").GetString().ShouldBe(OpenApi.LedgerOpenApi.LicenseName);
        Document.GetProperty("info").GetProperty("license").GetProperty("url").GetString()!.ShouldStartWith("https://");
    }

    [Fact]
    public void Status_phase_reason_and_event_type_are_the_domains_own_enumerations()
    {
        Enumeration("ExecutionStatus").ShouldBe(Enum.GetValues<ExecutionStatus>().Select(s => s.ToWireName()));
        Enumeration("ExecutionPhase").ShouldBe(Enum.GetValues<ExecutionPhase>().Select(p => p.ToWireName()));
        Enumeration("Reason").ShouldBe(Reason.All.Select(r => r.Code));
        Enumeration("ExecutionEventType").ShouldBe(ExecutionEventCodec.Types, ignoreOrder: true);

        var decision = SchemaCheck.Component(Document, "DecisionResponse").GetProperty("properties");
        decision.GetProperty("status").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/ExecutionStatus");
        decision.GetProperty("phase").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/ExecutionPhase");
        decision.GetProperty("reason").GetRawText().ShouldContain("#/components/schemas/Reason");
        decision.GetProperty("reason").GetRawText().ShouldContain("\"null\"");
        Parameter("/v1/executions", "get", "status").GetProperty("schema").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/ExecutionStatus");
        Parameter("/v1/executions", "get", "reason").GetProperty("schema").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/Reason");
    }

    [Fact]
    public void An_event_is_selected_by_its_type_and_its_data_is_typed_per_event()
    {
        var body = SchemaCheck.Component(Document, "EventBody");
        body.GetProperty("discriminator").GetProperty("propertyName").GetString().ShouldBe("type");
        var submitted = body.GetProperty("discriminator").GetProperty("mapping").EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetString()!);
        submitted.Keys.ShouldBe(ExecutionEventCodec.Types.Except(ExecutionEventCodec.LedgerOnlyTypes).Append("governance.policy-published.v1"), ignoreOrder: true);
        body.GetProperty("oneOf").EnumerateArray().Select(r => r.GetProperty("$ref").GetString()).ShouldBe(submitted.Values, ignoreOrder: true);

        var entry = SchemaCheck.Component(Document, "EntryView");
        var mapped = entry.GetProperty("discriminator").GetProperty("mapping").EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetString()!);
        var logTypes = typeof(WireNameAttribute).Assembly.GetTypes().Where(t => t.IsDefined(typeof(WireNameAttribute), false)).Select(WireNames.Of).ToList();
        mapped.Keys.ShouldBe(logTypes, ignoreOrder: true);

        foreach (var type in ExecutionEventCodec.Types)
        {
            var variant = SchemaCheck.Component(Document, mapped[type]["#/components/schemas/".Length..]);
            var data = variant.GetProperty("properties").GetProperty("data").GetProperty("$ref").GetString()!;
            var dataSchema = SchemaCheck.Component(Document, data["#/components/schemas/".Length..]);
            dataSchema.GetProperty("type").GetString().ShouldBe("object", type);
            dataSchema.GetProperty("additionalProperties").ValueKind.ShouldBe(JsonValueKind.False, type);
            dataSchema.GetProperty("properties").EnumerateObject().ShouldNotBeEmpty(type);
            Enumeration(variant.GetProperty("properties").GetProperty("type")).ShouldBe([type]);
        }
    }

    [Fact]
    public void The_data_the_domain_writes_for_every_event_type_and_every_enumerated_value_matches_its_schema()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var digest = "sha256:" + new string('c', 64);
        var root = Convert.ToBase64String(new byte[32]);
        var note = $"peer.test/log\n3\n{root}\n\n\u2014 peer.test/log {Convert.ToBase64String(new byte[68])}\n";
        IExecutionEvent[] events =
        [
            new IntentDeclared(ExecutionId.Parse("e1"), "spiffe://aws/w", "run", ["r"], ["s"], ["aws"], null),
            new IntentDeclared(ExecutionId.Parse("e2"), "spiffe://aws/w", "run", ["r"], ["s"], ["aws"], new ParentRef("peer.test/log", ExecutionId.Parse("p1"))),
            new GovernanceSynchronized("p", digest, [new SyncedDomain("aws", digest, at)]),
            new AuthorizationIssued("z", "aws", ["s"], at, at.AddHours(1), digest),
            .. Enum.GetValues<TrustVerdict>().Select(v => new RuntimeTrustEstablished("spiffe://aws/w", "tpm", digest, "v", v)),
            new ExecutionStarted("node"),
            .. Enum.GetValues<VerificationVerdict>().Select(v => new RuntimeVerified(digest, v)),
            .. Enum.GetValues<ExecutionOutcome>().Select(o => new ExecutionCompleted(o, [digest])),
            new ProofPersisted(3, root, [0, 2], digest),
            .. Reason.All.Select(r => new ExecutionDenied(r, "d", new RejectedEvent("x", "execution.started.v1", digest))),
            new ExecutionHalted(Reason.EmitterReported, "d"),
            .. Enum.GetValues<ExecutionStatus>().Where(s => s != ExecutionStatus.None)
                .Select(s => new ParentAttested("peer.test/log", ExecutionId.Parse("p1"), digest, note, 3, 2, s, [], s == ExecutionStatus.Declared ? null : at, at)),
            new GovernanceAttested("peer.test/log", digest, note, 3, 2, ["aws"], ["aws", "gcp"], [new Domain.Publications.Publication("aws", "p", digest, 1, at)], at),
            new GovernanceAttested("peer.test/log", digest, note, 3, 1, [], ["aws"], [], at),
        ];
        events.Select(e => ExecutionEventCodec.TypeOf(e)).ToHashSet().ShouldBe(ExecutionEventCodec.Types.ToHashSet(), ignoreOrder: true);

        foreach (var @event in events)
        {
            var data = ExecutionEventCodec.ToData(@event);
            SchemaCheck.Errors(data, SchemaCheck.Component(Document, @event.GetType().Name + "Data"), Document).ShouldBeEmpty(data.GetRawText());
        }

        var publication = Domain.Publications.GovernanceEventCodec.ToData(new Domain.Publications.PolicyPublished("aws", "p", digest));
        SchemaCheck.Errors(publication, SchemaCheck.Component(Document, "PolicyPublishedData"), Document).ShouldBeEmpty(publication.GetRawText());

        // And a schema refuses what the codec refuses: a member too many, a reason outside the set.
        var denied = SchemaCheck.Component(Document, "ExecutionDeniedData");
        SchemaCheck.Errors(JsonDocument.Parse("""{"reason": "emitter-reported", "detail": "d", "extra": 1}""").RootElement, denied, Document).ShouldNotBeEmpty();
        SchemaCheck.Errors(JsonDocument.Parse("""{"reason": "bored", "detail": "d"}""").RootElement, denied, Document).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task What_the_api_answers_matches_the_document_events_problems_and_all()
    {
        var story = new Story("oa-1", _app.Clock.GetUtcNow());
        using (var created = await AppendAsync(story.Stream, Story.Body(0, story.UpToStart())))
        {
            await MatchesAsync(created, HttpStatusCode.Created, "AppendResponse");
        }

        using (var conflict = await AppendAsync(story.Stream, Story.Body(0, story.Verified())))
        {
            await MatchesAsync(conflict, HttpStatusCode.Conflict, "VersionConflictProblem");
        }

        using (var invalid = await AppendAsync(story.Stream, new JsonObject { ["expectedVersion"] = 5, ["events"] = new JsonArray(new JsonObject { ["eventId"] = "x", ["type"] = "execution.started.v1", ["domain"] = story.Domain, ["data"] = new JsonObject() }) }))
        {
            await MatchesAsync(invalid, HttpStatusCode.BadRequest, "ValidationProblem");
        }

        using (var drift = await AppendAsync(story.Stream, Story.Body(5, story.Verified(measurement: Story.Digest("another image")))))
        {
            var problem = await MatchesAsync(drift, HttpStatusCode.UnprocessableEntity, "LifecycleViolationProblem");
            problem.GetProperty("reason").GetString().ShouldBe(Reason.MeasurementDrift.Code);
        }

        using (var terminal = await AppendAsync(story.Stream, Story.Body(-1, story.Completed())))
        {
            await MatchesAsync(terminal, HttpStatusCode.Conflict, "ExecutionTerminalProblem");
        }

        using (var stream = await GetAsync($"/v1/streams/{story.Stream}/events", _app.FirstStart.DevToken))
        {
            var page = await MatchesAsync(stream, HttpStatusCode.OK, "StreamResponse");
            page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("type").GetString())
                .ShouldBe([.. story.UpToStart().Select(e => e["type"]!.GetValue<string>()), "execution.halted.v1"]);
        }

        using (var ledgerStream = await GetAsync("/v1/streams/$ledger/events", _app.FirstStart.DevToken))
        {
            await MatchesAsync(ledgerStream, HttpStatusCode.OK, "StreamResponse");
        }

        using (var decision = await GetAsync($"/v1/executions/{story.Id}/decision", _app.FirstStart.DevToken))
        {
            (await MatchesAsync(decision, HttpStatusCode.OK, "DecisionResponse")).GetProperty("status").GetString().ShouldBe("halted");
        }

        using (var missing = await GetAsync("/v1/streams/execution-nobody/events", _app.FirstStart.DevToken))
        {
            await MatchesAsync(missing, HttpStatusCode.NotFound, "ProblemDetails");
        }

        await ExportVerifiesAsync();
    }

    private async Task<JsonElement> MatchesAsync(HttpResponseMessage response, HttpStatusCode status, string schema)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        var body = JsonDocument.Parse(text).RootElement;
        SchemaCheck.Errors(body, SchemaCheck.Component(Document, schema), Document).ShouldBeEmpty($"{schema}: {text}");
        return body;
    }

    private async Task<HttpResponseMessage> AppendAsync(string stream, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/streams/{stream}/events")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _app.FirstStart.DevToken);
        return await _http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _http.SendAsync(request);
    }

    private async Task ExportVerifiesAsync()
    {
        using (await SendAdminAsync(HttpMethod.Post, "/v1/admin/checkpoint"))
        {
        }

        var vkey = (await _http.GetStringAsync("/v1/log/key")).Trim();
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, await _http.GetByteArrayAsync("/v1/export"));
            using var output = new StringWriter();
            Ledger.Verifier.Program.Run([path, "--trust", vkey], output, output).ShouldBe(0, output.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<HttpResponseMessage> SendAdminAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _app.FirstStart.AdminToken);
        var response = await _http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return response;
    }

    private List<string> Enumeration(string component) => Enumeration(SchemaCheck.Component(Document, component));

    private static List<string> Enumeration(JsonElement schema) => [.. schema.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!)];

    private JsonElement Parameter(string path, string method, string name) =>
        Document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == name);

    private IEnumerable<(string Method, string Path, JsonElement Operation)> Operations() =>
        from path in Document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        where operation.Name is "get" or "post" or "put" or "delete" or "patch"
        select (operation.Name, path.Name, operation.Value);

    private static void Collect(JsonElement element, string path, Action<string, JsonElement> visit)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                visit(path, element);
                foreach (var member in element.EnumerateObject())
                {
                    Collect(member.Value, path + "/" + member.Name, visit);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, $"{path}/{i++}", visit);
                }

                break;
        }
    }
}
