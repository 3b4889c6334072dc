using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.Infrastructure;

namespace Ledger.Api.Tests;

// The bad-input catalogue: each case is refused with its problem type and the log does not change.
public abstract partial class ApiSuite
{
    // A valid first append of execution @ID; each case below breaks it in one place.
    private const string ValidIntent =
        "{\"expectedVersion\":0,\"events\":[{\"eventId\":\"@ID-intent\",\"type\":\"execution.intent-declared.v1\"," +
        "\"domain\":\"aws.example\",\"occurredAt\":\"2025-01-01T00:00:00Z\"," +
        "\"data\":{\"executionId\":\"@ID\",\"actor\":\"spiffe://aws.example/job\",\"action\":\"export\",\"resources\":[\"s3://invoices\"]," +
        "\"requestedScope\":[\"invoices:read\"],\"targetDomains\":[\"aws.example\"],\"parent\":null}," +
        "\"metadata\":{\"ticket\":\"OPS-1\"}}]}";

    [Fact]
    public async Task The_valid_body_of_the_catalogue_is_accepted()
    {
        var id = NewId("catalogue");
        using var response = await PostRawAsync("execution-" + id, Encoding.UTF8.GetBytes(ValidIntent.Replace("@ID", id, StringComparison.Ordinal)), "application/json", DevToken);
        await CreatedAsync(response);
    }

    [Theory]
    // malformed JSON
    [InlineData("]}", "]", "malformed-json")]
    [InlineData("]}", "]}}", "malformed-json")]
    [InlineData("\"aws.example\",\"occurredAt\"", "'aws.example',\"occurredAt\"", "malformed-json")]
    [InlineData("{\"expectedVersion\":0,", "{\"expectedVersion\":0,,", "malformed-json")]
    [InlineData("\"OPS-1\"", "\"OPS-1\",", "malformed-json")]
    // unknown event type
    [InlineData("execution.intent-declared.v1", "execution.teleported.v1", "validation-failed")]
    [InlineData("execution.intent-declared.v1", "execution.intent-declared.v9", "validation-failed")]
    [InlineData("execution.intent-declared.v1", "ledger.policy-configured.v1", "validation-failed")]
    [InlineData("execution.intent-declared.v1", "token.minted.v1", "validation-failed")]
    [InlineData("execution.intent-declared.v1", "", "validation-failed")]
    // missing fields
    [InlineData("\"expectedVersion\":0,", "", "malformed-json")]
    [InlineData("\"events\":[{", "\"evts\":[{", "malformed-json")]
    [InlineData("\"eventId\":\"@ID-intent\",", "", "malformed-json")]
    [InlineData("\"type\":\"execution.intent-declared.v1\",", "", "malformed-json")]
    [InlineData("\"domain\":\"aws.example\",", "", "malformed-json")]
    [InlineData("\"actor\":\"spiffe://aws.example/job\",", "", "validation-failed")]
    [InlineData("\"executionId\":\"@ID\",", "", "validation-failed")]
    [InlineData(",\"parent\":null", "", "validation-failed")]
    [InlineData("\"requestedScope\":[\"invoices:read\"]", "\"requestedScope\":[]", "validation-failed")]
    // extra fields
    [InlineData("{\"expectedVersion\":0,", "{\"expectedVersion\":0,\"force\":true,", "malformed-json")]
    [InlineData("\"domain\":\"aws.example\",", "\"domain\":\"aws.example\",\"emitter\":\"ledger\",", "malformed-json")]
    [InlineData("\"domain\":\"aws.example\",", "\"domain\":\"aws.example\",\"position\":0,", "malformed-json")]
    [InlineData("\"action\":\"export\",", "\"action\":\"export\",\"grantedScope\":[\"*\"],", "validation-failed")]
    [InlineData("\"parent\":null", "\"parent\":{\"ledger\":\"l\",\"executionId\":\"p\",\"extra\":1}", "validation-failed")]
    // mistyped fields
    [InlineData("\"expectedVersion\":0", "\"expectedVersion\":\"0\"", "malformed-json")]
    [InlineData("\"expectedVersion\":0", "\"expectedVersion\":0.5", "malformed-json")]
    [InlineData("\"expectedVersion\":0", "\"expectedVersion\":null", "malformed-json")]
    [InlineData("\"expectedVersion\":0", "\"expectedVersion\":-2", "validation-failed")]
    [InlineData("\"eventId\":\"@ID-intent\"", "\"eventId\":7", "malformed-json")]
    [InlineData("\"domain\":\"aws.example\"", "\"domain\":[\"aws.example\"]", "malformed-json")]
    [InlineData("\"metadata\":{\"ticket\":\"OPS-1\"}", "\"metadata\":[\"OPS-1\"]", "validation-failed")]
    [InlineData("\"occurredAt\":\"2025-01-01T00:00:00Z\"", "\"occurredAt\":\"yesterday\"", "validation-failed")]
    [InlineData("\"resources\":[\"s3://invoices\"]", "\"resources\":\"s3://invoices\"", "validation-failed")]
    [InlineData("\"actor\":\"spiffe://aws.example/job\"", "\"actor\":42", "validation-failed")]
    [InlineData("\"actor\":\"spiffe://aws.example/job\"", "\"actor\":\"not a uri\"", "validation-failed")]
    [InlineData("\"parent\":null", "\"parent\":\"root\"", "validation-failed")]
    [InlineData("\"targetDomains\":[\"aws.example\"]", "\"targetDomains\":[\"aws.example\",\"aws.example\"]", "validation-failed")]
    [InlineData("\"domain\":\"aws.example\"", "\"domain\":\"AWS Example\"", "validation-failed")]
    [InlineData("\"eventId\":\"@ID-intent\"", "\"eventId\":\"ledger-refusal-x\"", "validation-failed")]
    [InlineData("\"eventId\":\"@ID-intent\"", "\"eventId\":\"a/b\"", "validation-failed")]
    [InlineData("\"eventId\":\"@ID-intent\"", "\"eventId\":\"\"", "validation-failed")]
    // huge numbers
    [InlineData("\"expectedVersion\":0", "\"expectedVersion\":1e400", "malformed-json")]
    [InlineData("\"expectedVersion\":0", "\"expectedVersion\":99999999999999999999", "malformed-json")]
    [InlineData("\"expectedVersion\":0", "\"expectedVersion\":-1e400", "malformed-json")]
    [InlineData("\"ticket\":\"OPS-1\"", "\"ticket\":9007199254740993", "validation-failed")]
    [InlineData("\"ticket\":\"OPS-1\"", "\"ticket\":1e308", "validation-failed")]
    [InlineData("\"ticket\":\"OPS-1\"", "\"ticket\":123456789012345678901234567890", "validation-failed")]
    // lone surrogates (escaped: the raw UTF-8 forms are invalid UTF-8, below)
    [InlineData("\"action\":\"export\"", "\"action\":\"ex\\ud800port\"", "malformed-json")]
    [InlineData("\"action\":\"export\"", "\"action\":\"export\\udc00\"", "malformed-json")]
    [InlineData("\"ticket\":\"OPS-1\"", "\"ticket\\udbff\":\"OPS-1\"", "malformed-json")]
    // duplicate JSON keys
    [InlineData("{\"expectedVersion\":0,", "{\"expectedVersion\":0,\"expectedVersion\":0,", "malformed-json")]
    [InlineData("\"type\":\"execution.intent-declared.v1\",", "\"type\":\"execution.intent-declared.v1\",\"type\":\"execution.started.v1\",", "malformed-json")]
    [InlineData("\"actor\":\"spiffe://aws.example/job\",", "\"actor\":\"spiffe://aws.example/job\",\"actor\":\"spiffe://aws.example/admin\",", "malformed-json")]
    [InlineData("\"ticket\":\"OPS-1\"", "\"ticket\":\"OPS-1\",\"t\\u0069cket\":\"OPS-2\"", "malformed-json")]
    public async Task A_malformed_append_is_refused_and_appends_nothing(string find, string replace, string slug)
    {
        var id = NewId("bad");
        ValidIntent.ShouldContain(find);
        var body = ValidIntent.Replace(find, replace, StringComparison.Ordinal).Replace("@ID", id, StringComparison.Ordinal);

        await RefusedWithoutAppendAsync(() => PostRawAsync("execution-" + id, Encoding.UTF8.GetBytes(body), "application/json", DevToken), HttpStatusCode.BadRequest, slug);
    }

    [Fact]
    public async Task A_duplicate_key_in_an_append_is_refused_naming_the_key()
    {
        var id = NewId("duplicate");
        var body = ValidIntent.Replace("\"action\":\"export\",", "\"action\":\"export\",\"action\":\"delete\",", StringComparison.Ordinal).Replace("@ID", id, StringComparison.Ordinal);

        var problem = await RefusedWithoutAppendAsync(
            () => PostRawAsync("execution-" + id, Encoding.UTF8.GetBytes(body), "application/json", DevToken), HttpStatusCode.BadRequest, "malformed-json");

        problem.GetProperty("detail").GetString()!.ShouldContain("action");
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })] // a lead byte followed by ASCII
    [InlineData(new byte[] { 0xFF })] // never valid in UTF-8
    [InlineData(new byte[] { 0xC0, 0xAF })] // an overlong '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a surrogate encoded as UTF-8 (a lone surrogate in raw form)
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // above U+10FFFF
    [InlineData(new byte[] { 0xE2, 0x82 })] // truncated sequence
    public async Task A_body_with_invalid_utf8_is_malformed_json(byte[] bad)
    {
        var id = NewId("utf8");
        var text = ValidIntent.Replace("@ID", id, StringComparison.Ordinal);
        var at = text.IndexOf("export", StringComparison.Ordinal);
        byte[] body = [.. Encoding.UTF8.GetBytes(text[..at]), .. bad, .. Encoding.UTF8.GetBytes(text[at..])];

        await RefusedWithoutAppendAsync(() => PostRawAsync("execution-" + id, body, "application/json", DevToken), HttpStatusCode.BadRequest, "malformed-json");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/jsonp")]
    [InlineData("application/json-patch+json")]
    [InlineData("application/json; charset=latin1")]
    [InlineData(null)]
    public async Task A_body_that_is_not_application_json_is_unsupported(string? contentType)
    {
        var id = NewId("media");
        var body = Encoding.UTF8.GetBytes(ValidIntent.Replace("@ID", id, StringComparison.Ordinal));

        await RefusedWithoutAppendAsync(() => PostRawAsync("execution-" + id, body, contentType, DevToken), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task Application_json_with_a_utf8_charset_is_accepted()
    {
        var id = NewId("charset");
        var body = Encoding.UTF8.GetBytes(ValidIntent.Replace("@ID", id, StringComparison.Ordinal));

        await CreatedAsync(await PostRawAsync("execution-" + id, body, "application/json; charset=utf-8", DevToken));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_limit_is_refused(bool announcedLength)
    {
        var id = NewId("large");
        var limit = App.Node.Options.Limits.MaxBodyBytes;
        var valid = ValidIntent.Replace("@ID", id, StringComparison.Ordinal);
        var padding = new string(' ', checked((int)limit + 1 - valid.Length));
        var body = Encoding.UTF8.GetBytes(valid + padding);
        body.Length.ShouldBe((int)limit + 1);

        await RefusedWithoutAppendAsync(
            async () =>
            {
                using var content = announcedLength ? (HttpContent)new ByteArrayContent(body) : new UnknownLengthContent(body);
                content.Headers.ContentType = new("application/json");
                return await SendAsync(HttpMethod.Post, $"/v1/streams/execution-{id}/events", content, DevToken);
            },
            HttpStatusCode.RequestEntityTooLarge,
            "body-too-large");
    }

    [Fact]
    public async Task A_body_exactly_at_the_limit_is_read()
    {
        var id = NewId("at-limit");
        var limit = App.Node.Options.Limits.MaxBodyBytes;
        var valid = ValidIntent.Replace("@ID", id, StringComparison.Ordinal);
        var body = Encoding.UTF8.GetBytes(valid + new string(' ', checked((int)limit - valid.Length)));

        await CreatedAsync(await PostRawAsync("execution-" + id, body, "application/json", DevToken));
    }

    [Theory]
    [InlineData("events", "65 events")]
    [InlineData("string", "a string over the length limit")]
    [InlineData("array", "an array over the size limit")]
    [InlineData("depth", "metadata nested too deep")]
    [InlineData("duplicate-ids", "two events with one id")]
    public async Task An_append_over_a_limit_is_invalid(string limit, string description)
    {
        var story = NewStory("limits");
        var intent = story.Intent();
        JsonObject body;
        switch (limit)
        {
            case "events":
                body = Story.Body(0, [intent, .. Enumerable.Range(1, 64).Select(i => story.Verified(i))]);
                break;
            case "string":
                intent["data"]!["action"] = new string('a', App.Node.Options.Limits.MaxStringLength + 1);
                body = Story.Body(0, intent);
                break;
            case "array":
                intent["data"]!["resources"] = new JsonArray([.. Enumerable.Range(0, App.Node.Options.Limits.MaxArrayLength + 1).Select(i => (JsonNode)JsonValue.Create("r" + i.ToString(CultureInfo.InvariantCulture)))]);
                body = Story.Body(0, intent);
                break;
            case "depth":
                JsonNode nested = JsonValue.Create(1);
                for (var i = 0; i < 20; i++)
                {
                    nested = new JsonObject { ["n"] = nested };
                }

                intent["metadata"] = nested;
                body = Story.Body(0, intent);
                break;
            default:
                var twin = story.Governance();
                twin["eventId"] = intent["eventId"]!.GetValue<string>();
                body = Story.Body(0, intent, twin);
                break;
        }

        description.ShouldNotBeEmpty();
        await RefusedWithoutAppendAsync(() => AppendAsync(story.Stream, body), HttpStatusCode.BadRequest, "validation-failed");
    }

    [Theory]
    [InlineData("{\"expectedVersion\":0,\"events\":[]}", "validation-failed")]
    [InlineData("{\"expectedVersion\":0,\"events\":null}", "malformed-json")]
    [InlineData("{\"expectedVersion\":0,\"events\":{}}", "malformed-json")]
    [InlineData("{\"expectedVersion\":0,\"events\":\"intent\"}", "malformed-json")]
    [InlineData("null", "malformed-json")]
    [InlineData("[]", "malformed-json")]
    [InlineData("0", "malformed-json")]
    [InlineData("", "malformed-json")]
    public async Task A_body_without_events_is_refused(string body, string slug)
    {
        var story = NewStory("empty");
        await RefusedWithoutAppendAsync(
            () => PostRawAsync(story.Stream, Encoding.UTF8.GetBytes(body), "application/json", DevToken), HttpStatusCode.BadRequest, slug);
    }

    [Theory]
    [InlineData("execution-..%2F..%2F%24tokens")]
    [InlineData("execution-..%5C..%5Cledger.key")]
    [InlineData("%2E%2E%2Fexecution-x")]
    [InlineData("%24emitters")]
    [InlineData("%24tokens")]
    [InlineData("%24ledger")]
    [InlineData("execution-")]
    [InlineData("execution-a%0Ab")]
    [InlineData("execution-a%0D%0AX-Injected:%201")]
    [InlineData("execution-%1B%5B31m")]
    [InlineData("execution-%E2%80%AEtxt.exe")]
    [InlineData("execution-a%20b")]
    [InlineData("Execution-x")]
    [InlineData("stream-x")]
    public async Task A_stream_id_that_is_not_an_execution_stream_is_refused(string stream)
    {
        var story = NewStory("stream");
        var problem = await RefusedWithoutAppendAsync(() => AppendAsync(stream, Story.Body(0, story.Intent())), HttpStatusCode.BadRequest, "invalid-stream");

        problem.GetProperty("detail").GetString()!.ShouldNotContain("\n");
        problem.GetProperty("detail").GetString()!.ShouldNotContain("\0");
    }

    [Fact]
    public async Task A_stream_id_over_the_length_limit_is_refused()
    {
        var story = NewStory("long");
        await RefusedWithoutAppendAsync(() => AppendAsync("execution-" + new string('a', 129), Story.Body(0, story.Intent())), HttpStatusCode.BadRequest, "invalid-stream");
    }

    [Fact]
    public async Task A_stream_path_with_raw_slashes_matches_no_route_and_appends_nothing()
    {
        var story = NewStory("slashes");
        var before = await LogAsync();

        using var response = await AppendAsync("execution-x/../../$tokens", Story.Body(0, story.Intent()));

        response.StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
        var after = await LogAsync();
        after.Size.ShouldBe(before.Size);
        after.Latest.ShouldBe(before.Latest);
    }

    [Fact]
    public async Task An_intent_declared_on_another_executions_stream_is_invalid()
    {
        var story = NewStory("mismatch");
        var other = NewStory("other");
        await RefusedWithoutAppendAsync(() => AppendAsync(other.Stream, Story.Body(0, story.Intent())), HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task An_emitter_cannot_append_the_ledgers_proof_event()
    {
        var story = NewStory("proof");
        var proof = story.Event(story.Id + "-proof", "execution.proof-persisted.v1", new JsonObject
        {
            ["checkpointSize"] = 1,
            ["checkpointRoot"] = Convert.ToBase64String(new byte[32]),
            ["positions"] = new JsonArray(0),
            ["lineageDigest"] = Story.Digest("lineage"),
        });

        await RefusedWithoutAppendAsync(() => AppendAsync(story.Stream, Story.Body(0, proof)), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task An_emitter_cannot_claim_the_ledgers_refusal_evidence()
    {
        var story = NewStory("forged-denial");
        await RunAsync(story, 0, story.Intent());
        var denial = story.Event(story.Id + "-denied", "execution.denied.v1", new JsonObject
        {
            ["reason"] = "emitter-reported",
            ["detail"] = "looks like the ledger",
            ["rejected"] = new JsonObject { ["eventId"] = "x", ["type"] = "execution.started.v1", ["digest"] = Story.Digest("x") },
        });

        await RefusedWithoutAppendAsync(() => AppendAsync(story.Stream, Story.Body(1, denial)), HttpStatusCode.BadRequest, "validation-failed");
    }

    /// <summary>A body sent without Content-Length (chunked).</summary>
    private sealed class UnknownLengthContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
