using System.Text.Json;
using Ledger.Domain.Executions;
using Ledger.Projections.Executions;

namespace Ledger.Projections.Tests;

/// <summary>The <c>detail</c> column's lists are written in place: the text must be what <see cref="Wire.List(IReadOnlyList{string})"/> gives.</summary>
public sealed class ExecutionRowDetailTests
{
    private static readonly string[] Targets = ["aws.eu-west-1", "gcp.\"quoted\"", "edge.<b>&'", "onprem.é\u2028\u0001"];

    [Fact]
    public void Lists_in_the_detail_are_the_same_text_as_the_serializer_gives_and_empty_lists_are_left_out()
    {
        var id = ExecutionId.Parse("exec-detail-1");
        var row = new ExecutionRow
        {
            Id = id.Value,
            State = ExecutionState.Initial(id) with { TargetDomains = Targets, RequestedScope = ["read:a\\b"], GrantedScope = [] },
            FirstDomain = "aws.eu-west-1",
            RootId = id.Value,
            Resources = ["s3://bucket/key with space", "\t"],
        };

        var detail = row.Detail();

        detail.ShouldContain("\"targetDomains\":" + Wire.List(Targets));
        detail.ShouldContain("\"requestedScope\":" + Wire.List(["read:a\\b"]));
        detail.ShouldContain("\"resources\":" + Wire.List(["s3://bucket/key with space", "\t"]));
        detail.ShouldNotContain("grantedScope");
        using var parsed = JsonDocument.Parse(detail);
        parsed.RootElement.GetProperty("targetDomains").EnumerateArray().Select(e => e.GetString()).ShouldBe(Targets);

        // The writer is reused from row to row: a second row's text is its own, whole.
        var other = new ExecutionRow { Id = id.Value, State = ExecutionState.Initial(id), FirstDomain = "gcp", RootId = id.Value };
        var second = other.Detail();
        second.ShouldStartWith("{\"firstDomain\":\"gcp\"");
        second.ShouldNotContain("targetDomains");
        JsonDocument.Parse(second).Dispose();
    }
}
