using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Ledger.Domain.Log;

namespace Ledger.Api.Tests;

// Entries are at most 65,535 canonical bytes (DESIGN §4, a tlog-tiles entry bundle's uint16 length prefix).
public abstract partial class ApiSuite
{
    [Fact]
    public async Task An_event_whose_statement_alone_is_over_the_entry_limit_is_refused_and_nothing_is_appended()
    {
        var id = NewId("huge");
        var body = IntentWithStatementSize(id, 70_000);
        var problem = await RefusedWithoutAppendAsync(
            () => PostRawAsync("execution-" + id, body, "application/json", DevToken), HttpStatusCode.BadRequest, "entry-too-large");
        problem.GetProperty("limit").GetInt32().ShouldBe(65535);
        problem.GetProperty("size").GetInt32().ShouldBe(70_000);
        problem.GetProperty("eventId").GetString().ShouldBe(id + "-intent");
        problem.GetProperty("detail").GetString()!.ShouldContain("65535");
        problem.GetProperty("detail").GetString()!.ShouldContain("70000");
        (await GetAsync($"/v1/streams/execution-{id}/events")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_event_whose_entry_but_not_its_statement_is_over_the_limit_is_refused_by_the_store_and_nothing_is_appended()
    {
        // The statement fits; origin, position, recordedAt and streamVersion push the entry over the limit.
        var id = NewId("edge");
        var body = IntentWithStatementSize(id, LedgerEntry.MaxCanonicalBytes - 10);
        var problem = await RefusedWithoutAppendAsync(
            () => PostRawAsync("execution-" + id, body, "application/json", DevToken), HttpStatusCode.BadRequest, "entry-too-large");
        var size = problem.GetProperty("size").GetInt32();
        size.ShouldBeGreaterThan(LedgerEntry.MaxCanonicalBytes);
        size.ShouldBeLessThan(LedgerEntry.MaxCanonicalBytes + 200);
        problem.GetProperty("detail").GetString()!.ShouldContain(size.ToString(CultureInfo.InvariantCulture) + " canonical bytes");
        (await GetAsync($"/v1/streams/execution-{id}/events")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_event_whose_entry_is_just_under_the_limit_is_appended()
    {
        var id = NewId("fits");
        var body = IntentWithStatementSize(id, LedgerEntry.MaxCanonicalBytes - 200);
        var created = await CreatedAsync(await PostRawAsync("execution-" + id, body, "application/json", DevToken));
        var entry = await EntriesAsync(created.GetProperty("positions")[0].GetInt64(), 1);
        Encoding.UTF8.GetByteCount(entry[0]).ShouldBeInRange(LedgerEntry.MaxCanonicalBytes - 200, LedgerEntry.MaxCanonicalBytes);
    }

    [Fact]
    public async Task An_entry_over_the_limit_fails_its_own_request_only_when_committed_with_others()
    {
        var big = NewId("big");
        var small = Enumerable.Range(0, 6).Select(i => NewId("small" + i.ToString(CultureInfo.InvariantCulture))).ToList();
        var sizeBefore = await App.Node.Store.GetTreeSizeAsync();
        var sends = small.Select(id => PostRawAsync("execution-" + id, Encoding.UTF8.GetBytes(ValidIntent.Replace("@ID", id, StringComparison.Ordinal)), "application/json", DevToken))
            .Append(PostRawAsync("execution-" + big, IntentWithStatementSize(big, LedgerEntry.MaxCanonicalBytes - 5), "application/json", DevToken))
            .ToList();
        var responses = await Task.WhenAll(sends);
        try
        {
            foreach (var response in responses[..^1])
            {
                await CreatedAsync(response);
            }

            await ProblemAsync(responses[^1], HttpStatusCode.BadRequest, "entry-too-large");
            (await App.Node.Store.GetTreeSizeAsync()).ShouldBe(sizeBefore + small.Count);
            (await GetAsync($"/v1/streams/execution-{big}/events")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    /// <summary>The catalogue's valid intent for <paramref name="id"/>, padded in its metadata so that the statement's
    /// canonical bytes (as the dev emitter submits it) are exactly <paramref name="statementSize"/>.</summary>
    private static byte[] IntentWithStatementSize(string id, int statementSize)
    {
        const int Chunk = 1000;
        var pads = Pads(0);
        var padding = 0;
        for (var attempt = 0; attempt < 10 && StatementSize(id, pads) != statementSize; attempt++)
        {
            padding += statementSize - StatementSize(id, pads);
            padding.ShouldBeGreaterThanOrEqualTo(0);
            pads = Pads(padding);
        }

        Dictionary<string, string> Pads(int total)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal) { ["ticket"] = "OPS-1" };
            for (var i = 0; total - (i * Chunk) > 0; i++)
            {
                result["p" + i.ToString("D3", CultureInfo.InvariantCulture)] = new string('x', Math.Min(Chunk, total - (i * Chunk)));
            }

            return result;
        }

        StatementSize(id, pads).ShouldBe(statementSize);
        var metadata = JsonSerializer.Serialize(pads);
        return Encoding.UTF8.GetBytes(ValidIntent.Replace("@ID", id, StringComparison.Ordinal)
            .Replace("{\"ticket\":\"OPS-1\"}", metadata, StringComparison.Ordinal));
    }

    private static int StatementSize(string id, Dictionary<string, string> metadata)
    {
        using var body = JsonDocument.Parse(ValidIntent.Replace("@ID", id, StringComparison.Ordinal)
            .Replace("{\"ticket\":\"OPS-1\"}", JsonSerializer.Serialize(metadata), StringComparison.Ordinal));
        var e = body.RootElement.GetProperty("events")[0];
        var statement = new EmitterStatement(
            "execution-" + id, e.GetProperty("eventId").GetString()!, e.GetProperty("type").GetString()!, e.GetProperty("domain").GetString()!,
            "dev", e.GetProperty("occurredAt").GetString(), e.GetProperty("data").Clone(), e.GetProperty("metadata").Clone());
        return statement.ToCanonicalBytes().Length;
    }
}
