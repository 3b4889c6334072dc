using Ledger.Api.Executions;
using Ledger.Api.Hosting;
using Ledger.Api.Problems;
using Ledger.Application.Executions;
using Ledger.Application.Hosting;
using Ledger.Domain.Bundles;
using Ledger.Domain.Executions;

namespace Ledger.Api.Export;

/// <summary><c>GET /v1/export</c>: a verification bundle (docs/FORMAT.md §7), streamed as it is read from the store.</summary>
public static partial class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/export", ExportAsync)
            .WithTags("Export")
            .WithName("Export")
            .WithSummary("A verification bundle: full (positions from..to with checkpoints and consistency proofs), one stream, or one lineage tree (entries with inclusion proofs)")
            .Produces<string>(200, "application/x-ndjson")
            .ProducesProblem(400)
            .ProducesProblem(404)
            .ProducesProblem(503);
        return app;
    }

    public static async Task<IResult> ExportAsync(
        LedgerNode node, Ledger.Application.Witnessing.WitnessedCheckpoints witnessed, HttpContext http, long? from, long? to, string? stream, string? lineage,
        ILogger<StoreBundleSource> log, CancellationToken ct)
    {
        // With a quorum policy, a bundle carries only the checkpoints that meet it, as receipts do.
        var source = new StoreBundleSource(node.Store, node.Witnesses.RequiresQuorum ? c => witnessed.Check(c)?.IsVerified != false : null);
        var latest = await BundleExport.LatestCheckpointAsync(source, ct).ConfigureAwait(false);
        if (latest is null)
        {
            return LedgerProblems.Unavailable("No checkpoint has been signed yet; an export needs one.");
        }

        if ((stream is not null ? 1 : 0) + (lineage is not null ? 1 : 0) + (from is not null || to is not null ? 1 : 0) > 1)
        {
            return LedgerProblems.OutOfRange("Ask for one kind of export: from/to (full), stream, or lineage.");
        }

        IAsyncEnumerable<BundleRecord> records;
        string name;
        if (stream is not null)
        {
            if (await node.Store.GetStreamVersionAsync(stream, ct).ConfigureAwait(false) == 0)
            {
                return LedgerProblems.NotFound($"Stream '{Append.AppendEndpoints.Printable(stream)}' has no events.");
            }

            records = BundleExport.Stream(source, stream, latest, ct);
            name = stream;
        }
        else if (lineage is not null)
        {
            if (!ExecutionId.TryParse(lineage, out var root) || await node.Store.GetStreamVersionAsync(root.StreamName, ct).ConfigureAwait(false) == 0)
            {
                return LedgerProblems.NotFound($"There is no execution '{Append.AppendEndpoints.Printable(lineage)}'.");
            }

            var descendants = await node.Store.ListDescendantsAsync(root, ct).ConfigureAwait(false);
            records = BundleExport.Lineage(source, root.Value, [root.StreamName, .. descendants.Select(d => d.Execution.StreamName)], latest, ct);
            name = "lineage-" + root.Value;
        }
        else
        {
            var first = from ?? 0;
            var last = to ?? latest.Size;
            if (await BundleExport.CheckFullAsync(source, first, last, ct).ConfigureAwait(false) is { } problem)
            {
                return LedgerProblems.OutOfRange($"Cannot export: {problem}.");
            }

            records = BundleExport.Full(source, first, last, ct);
            name = $"log-{first}-{last}";
        }

        http.Response.ContentType = "application/x-ndjson";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.bundle\"";
        try
        {
            await BundleWriter.WriteAsync(http.Response.Body, records, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // Headers are sent: the bundle ends without its trailer, which every reader rejects as truncated.
            LogAborted(log, name, e);
            http.Abort();
        }

        return TypedResults.Empty;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Export {Name} stopped part way; the client gets a bundle without a trailer")]
    private static partial void LogAborted(ILogger logger, string name, Exception exception);
}
