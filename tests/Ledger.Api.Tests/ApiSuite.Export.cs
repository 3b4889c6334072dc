using System.Net;
using Ledger.Domain.Bundles;

namespace Ledger.Api.Tests;

public abstract partial class ApiSuite
{
    [Fact]
    public async Task A_stream_export_is_a_bundle_of_the_streams_entries_and_the_registry_they_need()
    {
        var story = NewStory("export");
        await RunAsync(story, 0, story.Intent(), story.Governance());
        await SignCheckpointAsync();

        using var response = await GetAsync($"/v1/export?stream={story.Stream}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/x-ndjson");
        response.Content.Headers.ContentDisposition?.FileName?.Trim('"').ShouldBe($"{story.Stream}.bundle");
        using var reader = new BundleReader(await response.Content.ReadAsStreamAsync());
        var records = new List<BundleRecord>();
        while (reader.Read() is { } record)
        {
            records.Add(record);
        }

        reader.Header.ShouldNotBeNull();
        reader.Header.Kind.ShouldBe(BundleKind.Stream);
        reader.Header.Stream.ShouldBe(story.Stream);
        var entries = records.OfType<BundleEntry>().Select(e => Ledger.Domain.Log.LedgerEntry.Parse(e.Canonical.Span)).ToList();
        entries.Where(e => e.Stream == story.Stream).Select(e => e.EventId).ShouldBe([story.Id + "-intent", story.Id + "-governance"]);
        entries.Where(e => e.Stream != story.Stream).ShouldAllBe(e => e.Stream.StartsWith('$')); // the registry entries a verifier needs
        records[^1].RecordName.ShouldBe("trailer");
    }

    [Theory]
    [InlineData("?stream=execution-x&lineage=x")]
    [InlineData("?from=0&stream=execution-x")]
    [InlineData("?from=5&to=2")]
    [InlineData("?from=0&to=999999999")]
    public async Task An_export_that_mixes_kinds_or_leaves_the_tree_is_out_of_range(string query)
    {
        await SignCheckpointAsync();
        await ProblemAsync(await GetAsync("/v1/export" + query), HttpStatusCode.BadRequest, "out-of-range");
    }

    [Theory]
    [InlineData("?stream=execution-never-declared")]
    [InlineData("?lineage=never-declared")]
    [InlineData("?lineage=not%20an%20id")]
    public async Task An_export_of_what_does_not_exist_is_not_found(string query)
    {
        await SignCheckpointAsync();
        await ProblemAsync(await GetAsync("/v1/export" + query), HttpStatusCode.NotFound, "not-found");
    }
}
