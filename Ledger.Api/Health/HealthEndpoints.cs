using System.Globalization;
using Ledger.Application.Hosting;
using Ledger.Application.Jobs;
using Ledger.Application.Witnessing;
using Ledger.Domain.Log;
using Ledger.Projections.Engine;

namespace Ledger.Api.Health;

/// <summary>Liveness and readiness (docs/OPERATIONS.md, "Health").</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/healthz").WithTags("Health");
        group.MapGet("", () => TypedResults.Ok(new { status = "ok" })).WithName("Health").WithSummary("Liveness");
        group.MapGet("/ready", ReadyAsync).WithName("Ready")
            .WithSummary("Readiness: the store answers, no entry waits too long for a checkpoint, the read models keep up, and the witness quorum is met")
            .Produces<Readiness>(200).Produces<Readiness>(503);
        return app;
    }

    public static async Task<IResult> ReadyAsync(
        LedgerNode node,
        WitnessJob witnessJob,
        FollowJob followJob,
        WitnessedCheckpoints checkpoints,
        ProjectionEngine projections,
        HealthOptions limits,
        TimeProvider time,
        CancellationToken ct)
    {
        var now = time.GetUtcNow();
        long treeSize;
        Ledger.Store.StoredCheckpoint? latest;
        IReadOnlyDictionary<string, long> cosigned;
        DateTimeOffset? oldestUncovered = null;
        IReadOnlyList<ProjectionStatus> projected;
        var held = new Dictionary<string, Ledger.Store.FollowedPeer?>(StringComparer.Ordinal);
        try
        {
            treeSize = await node.Store.GetTreeSizeAsync(ct).ConfigureAwait(false);
            latest = await node.Store.GetLatestCheckpointAsync(ct).ConfigureAwait(false);
            cosigned = await node.Store.GetCosignedSizesAsync(ct).ConfigureAwait(false);
            if (treeSize > (latest?.Size ?? 0) && await node.Store.GetEntryAsync(latest?.Size ?? 0, ct).ConfigureAwait(false) is { } first)
            {
                oldestUncovered = LedgerEntry.Parse(first.Entry).RecordedAt;
            }

            projected = await projections.GetStatusAsync(ct).ConfigureAwait(false);
            foreach (var peer in node.Peers.All)
            {
                held[peer.Origin] = await node.Store.ReadFollowedPeerAsync(peer.Origin, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return TypedResults.Json(
                new Readiness("unavailable", false, e.Message.ReplaceLineEndings(" "), 0, null, null, null, null, null, [], [], [], ["the store did not answer"]),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var checkpointSize = latest?.Size ?? 0;
        var witnesses = witnessJob.Progress.Select(p =>
        {
            var size = cosigned.GetValueOrDefault(p.Witness, 0);
            return new WitnessReadiness(p.Witness, size, checkpointSize - size, p.LastAttemptAt, p.LastCosignedAt, p.LastError, p.LastErrorAt);
        }).ToList();
        var check = latest is null ? null : checkpoints.Check(latest);
        var quorumMet = node.Witnesses.Policy is null ? (bool?)null : check?.IsVerified == true;
        var uncoveredFor = oldestUncovered is { } since ? Math.Max(0, (now - since).TotalSeconds) : (double?)null;

        // Ready: the store answers; no entry has waited longer than MaxCheckpointDelay for a checkpoint; every read model
        // is within MaxProjectionLag of the log; with a quorum policy, the latest checkpoint meets it. Lagging witnesses
        // are reported, not fatal, while the quorum holds.
        var problems = new List<string>();
        if (uncoveredFor > limits.MaxCheckpointDelay.TotalSeconds)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"entries from position {checkpointSize} have waited {uncoveredFor:0} s for a checkpoint (at most {limits.MaxCheckpointDelay.TotalSeconds:0} s)"));
        }

        foreach (var lagging in projected.Where(p => p.Lag > limits.MaxProjectionLag))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"the {lagging.Name} read model is {lagging.Lag} entries behind the log (at most {limits.MaxProjectionLag})"));
        }

        if (node.Witnesses.RequiresQuorum && quorumMet != true)
        {
            problems.Add($"the latest checkpoint does not meet the witness quorum '{node.Witnesses.Policy?.QuorumName}'");
        }

        // Peers are reported, not fatal: what depends on a silent or split peer has already failed closed (its children
        // ended), and this node still answers for everything else.
        var peers = followJob.Progress.Select(p =>
        {
            var kept = held.GetValueOrDefault(p.Peer);
            return new PeerReadiness(p.Peer, kept?.Size, kept?.SplitViewAt, p.ParentsFollowed, p.LastPullAt, p.LastVerifiedAt, p.LastError, p.LastErrorAt);
        }).ToList();
        var ready = problems.Count == 0;
        var body = new Readiness(
            ready ? "ready" : "not-ready",
            true,
            null,
            treeSize,
            latest?.Size,
            latest is null ? null : Math.Max(0, (now - latest.StoredAt).TotalSeconds),
            uncoveredFor,
            node.Witnesses.Policy?.QuorumName,
            quorumMet,
            witnesses,
            [.. projected.Select(p => new ProjectionReadiness(p.Name, p.Position, p.Lag))],
            peers,
            problems);
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
/// <param name="UncoveredForSeconds">Seconds the oldest entry not covered by a checkpoint has waited; null when the checkpoint covers the log.</param>
/// <param name="Quorum">The witness policy's quorum name; null when no witness is configured.</param>
/// <param name="QuorumMet">Whether the latest checkpoint meets the policy; null when no witness is configured.</param>
/// <param name="Witnesses">Each witness submitted to.</param>
/// <param name="Projections">Each read model's position and lag.</param>
/// <param name="Peers">Each configured peer, as the follow job saw it (reported; never a reason to be not ready).</param>
/// <param name="Problems">Why the node is not ready (empty when it is).</param>
public sealed record Readiness(
    string Status, bool Store, string? StoreError, long TreeSize, long? CheckpointSize, double? CheckpointAgeSeconds, double? UncoveredForSeconds,
    string? Quorum,
    bool? QuorumMet,
    IReadOnlyList<WitnessReadiness> Witnesses,
    IReadOnlyList<ProjectionReadiness> Projections,
    IReadOnlyList<PeerReadiness> Peers,
    IReadOnlyList<string> Problems);

/// <summary>One configured peer in the readiness report.</summary>
/// <param name="Origin">The peer's origin.</param>
/// <param name="HeldCheckpointSize">The size of the largest checkpoint of its log this ledger holds (null: none yet).</param>
/// <param name="SplitViewAt">When it showed a split view (null: never); it is no longer trusted.</param>
/// <param name="ParentsFollowed">Its executions that are remote parents of open executions here, at the last tick of this node.</param>
/// <param name="LastPullAt">When this node last asked it for an attestation.</param>
/// <param name="LastVerifiedAt">When an attestation from it last verified on this node.</param>
/// <param name="LastError">Its last failure since its last verified attestation; null if none.</param>
/// <param name="LastErrorAt">When.</param>
public sealed record PeerReadiness(
    string Origin,
    long? HeldCheckpointSize,
    DateTimeOffset? SplitViewAt,
    int ParentsFollowed,
    DateTimeOffset? LastPullAt,
    DateTimeOffset? LastVerifiedAt,
    string? LastError,
    DateTimeOffset? LastErrorAt);

/// <summary>One read model in the readiness report.</summary>
/// <param name="Name">The projection.</param>
/// <param name="Position">Entries it has projected.</param>
/// <param name="Lag">Entries of the log it has not projected yet.</param>
public sealed record ProjectionReadiness(string Name, long Position, long Lag);

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
