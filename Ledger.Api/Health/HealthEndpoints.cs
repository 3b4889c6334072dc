using Ledger.Application.Hosting;
using Ledger.Application.Jobs;
using Ledger.Application.Witnessing;

namespace Ledger.Api.Health;

/// <summary>Liveness and readiness (docs/OPERATIONS.md, "Health").</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/healthz").WithTags("Health");
        group.MapGet("", () => TypedResults.Ok(new { status = "ok" })).WithName("Health").WithSummary("Liveness");
        group.MapGet("/ready", ReadyAsync).WithName("Ready")
            .WithSummary("Readiness: the store answers, a checkpoint is signed, and the witness quorum is met (per-witness lag and last error)")
            .Produces<Readiness>(200).Produces<Readiness>(503);
        return app;
    }

    public static async Task<IResult> ReadyAsync(LedgerNode node, WitnessJob witnessJob, WitnessedCheckpoints checkpoints, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        long treeSize;
        Ledger.Store.StoredCheckpoint? latest;
        IReadOnlyDictionary<string, long> cosigned;
        try
        {
            treeSize = await node.Store.GetTreeSizeAsync(ct).ConfigureAwait(false);
            latest = await node.Store.GetLatestCheckpointAsync(ct).ConfigureAwait(false);
            cosigned = await node.Store.GetCosignedSizesAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return TypedResults.Json(
                new Readiness("unavailable", false, e.Message.ReplaceLineEndings(" "), 0, null, null, null, null, []), statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var checkpointSize = latest?.Size ?? 0;
        var witnesses = witnessJob.Progress.Select(p =>
        {
            var size = cosigned.GetValueOrDefault(p.Witness, 0);
            return new WitnessReadiness(p.Witness, size, checkpointSize - size, p.LastAttemptAt, p.LastCosignedAt, p.LastError, p.LastErrorAt);
        }).ToList();
        var check = latest is null ? null : checkpoints.Check(latest);
        var quorumMet = node.Witnesses.Policy is null ? (bool?)null : check?.IsVerified == true;
        // Ready: the store answers and, once the log has entries, a checkpoint is signed; with a quorum policy, the
        // latest checkpoint meets it. Lagging witnesses are reported, not fatal, while the quorum holds.
        var ready = (treeSize == 0 || latest is not null) && (!node.Witnesses.RequiresQuorum || quorumMet == true);
        var body = new Readiness(
            ready ? "ready" : "not-ready",
            true,
            null,
            treeSize,
            latest?.Size,
            latest is null ? null : Math.Max(0, (now - latest.StoredAt).TotalSeconds),
            node.Witnesses.Policy?.QuorumName,
            quorumMet,
            witnesses);
        return ready ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>The readiness report.</summary>
/// <param name="Status"><c>ready</c>, <c>not-ready</c> or <c>unavailable</c> (the store did not answer).</param>
/// <param name="Store">Whether the store answered.</param>
/// <param name="StoreError">Why it did not.</param>
/// <param name="TreeSize">Entries in the log.</param>
/// <param name="CheckpointSize">The latest checkpoint's size; null when none is signed.</param>
/// <param name="CheckpointAgeSeconds">Seconds since the latest checkpoint was stored.</param>
/// <param name="Quorum">The witness policy's quorum name; null when no witness is configured.</param>
/// <param name="QuorumMet">Whether the latest checkpoint meets the policy; null when no witness is configured.</param>
/// <param name="Witnesses">Each witness submitted to.</param>
public sealed record Readiness(
    string Status, bool Store, string? StoreError, long TreeSize, long? CheckpointSize, double? CheckpointAgeSeconds, string? Quorum, bool? QuorumMet,
    IReadOnlyList<WitnessReadiness> Witnesses);

/// <summary>One witness in the readiness report.</summary>
/// <param name="Name">Its configured name.</param>
/// <param name="CosignedSize">The largest checkpoint size it cosigned (0: none).</param>
/// <param name="Lag">Entries between the latest checkpoint and what it cosigned.</param>
/// <param name="LastAttemptAt">When this node last submitted to it.</param>
/// <param name="LastCosignedAt">When this node last kept its cosignature.</param>
/// <param name="LastError">Its last failure since its last success; null if none.</param>
/// <param name="LastErrorAt">When.</param>
public sealed record WitnessReadiness(
    string Name, long CosignedSize, long Lag, DateTimeOffset? LastAttemptAt, DateTimeOffset? LastCosignedAt, string? LastError, DateTimeOffset? LastErrorAt);
