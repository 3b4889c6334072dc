using System.Collections.Concurrent;
using Ledger.Application.Executions;
using Ledger.Application.Federation;
using Ledger.Application.Hosting;
using Ledger.Application.Registry;
using Ledger.Application.Telemetry;
using Ledger.Application.Witnessing;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Parameters;
using Ledger.Domain.Witnessing;
using Ledger.Store;
using Microsoft.Extensions.Logging;

namespace Ledger.Application.Jobs;

/// <summary>
/// Follows peers (DESIGN §8.2): every tick it lists the remote parents of this ledger's open executions from the
/// execution record, pulls each parent's attestation from its peer (grouped per peer, a bounded number in flight), and
/// verifies it with the peer's configured key and policy (<see cref="RemoteParents"/>, <see cref="AttestationVerifier"/>).
/// <list type="bullet">
/// <item>A verified attestation is kept as the parent's latest proof (the decision endpoint reads it with the record).
/// When it proves the parent ended, each open child gets the attestation (<c>federation.parent-attested.v1</c>) and its
/// end (<c>parent-halted</c>) in one append; the durable cascade then ends the child's own descendants.</item>
/// <item>No verified attestation (peer down, wrong answer, forged, quorum missing): the children end with
/// <c>federation-sync-lost</c> once the last proof is older than <c>maxPeerSilence</c>.</item>
/// <item>A split view: <c>federation.split-view-detected.v1</c> is recorded in <c>$federation</c> with both checkpoints,
/// the peer is no longer trusted, and every open child under it ends with <c>peer-split-view</c>.</item>
/// </list>
/// Everything it reads is durable (the record, the follow rows, the held checkpoints) and every end is decided again
/// under the write lock with a deterministic event id, so a restart or a second node never ends a child twice.
/// </summary>
public sealed partial class FollowJob(
    LedgerNode node,
    LedgerRegistry registry,
    LedgerClock clock,
    RemoteParents remoteParents,
    CascadeJob cascade,
    LedgerTelemetry telemetry,
    ILogger<FollowJob> log)
    : ILedgerJob
{
    private const int ParentsPerPage = 1000;

    // Attestation requests in flight to one peer at a time.
    private const int ConcurrencyPerPeer = 8;

    // Ends of one parent's children in flight together: group commit turns them into a few transactions.
    private const int AppendConcurrency = 64;

    /// <inheritdoc />
    public string Name => "follow";

    /// <inheritdoc />
    public TimeSpan Interval => node.Options.FollowInterval;

    /// <inheritdoc />
    public JobSignal Signal { get; } = new();

    private readonly ConcurrentDictionary<string, PeerFollowProgress> _progress = new(StringComparer.Ordinal);

    private long _lastNotifiedTicks;

    /// <summary>What this node last saw of each configured peer (diagnostics; empty entries for peers not followed yet).</summary>
    public IReadOnlyList<PeerFollowProgress> Progress =>
        [.. node.Peers.All.OrderBy(p => p.Origin, StringComparer.Ordinal)
            .Select(p => _progress.GetValueOrDefault(p.Origin) ?? new PeerFollowProgress(p.Origin, null, null, 0, null, null))];

    /// <summary>Asks for a tick now.</summary>
    public void Wake() => Signal.Set();

    /// <summary>A peer notified a change: asks for a tick now, unless a notification already did within the last second.</summary>
    public void Notify()
    {
        var now = clock.Now().UtcTicks;
        var last = Interlocked.Read(ref _lastNotifiedTicks);
        if (now < last || now - last >= TimeSpan.TicksPerSecond)
        {
            if (Interlocked.CompareExchange(ref _lastNotifiedTicks, now, last) == last)
            {
                Wake();
            }
        }
    }

    /// <summary>Pulls the attestation of every remote parent of an open execution; returns how many executions it ended.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var parameters = (await registry.GetAsync(ct).ConfigureAwait(false)).Parameters;
        var ended = 0;
        var followed = new Dictionary<string, int>(StringComparer.Ordinal);
        ParentRef? after = null;
        while (true)
        {
            var page = await node.Store.ListRemoteParentsAsync(after, ParentsPerPage, ct).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var parent in page)
            {
                followed[parent.Ledger] = followed.GetValueOrDefault(parent.Ledger) + 1;
            }

            var results = await Task.WhenAll(page.GroupBy(p => p.Ledger, StringComparer.Ordinal)
                .Select(peer => FollowPeerAsync([.. peer], parameters, ct))).ConfigureAwait(false);
            ended += results.Sum();
            if (page.Count < ParentsPerPage)
            {
                break;
            }

            after = page[^1];
        }

        foreach (var peer in node.Peers.All)
        {
            Update(peer.Origin, p => p with { ParentsFollowed = followed.GetValueOrDefault(peer.Origin) });
        }

        if (ended > 0)
        {
            cascade.Wake();
        }

        return ended;
    }

    private async Task<int> FollowPeerAsync(IReadOnlyList<ParentRef> parents, LedgerParameters parameters, CancellationToken ct)
    {
        var ended = 0;
        foreach (var chunk in parents.Chunk(ConcurrencyPerPeer))
        {
            var results = await Task.WhenAll(chunk.Select(p => FollowParentAsync(p, parameters, ct))).ConfigureAwait(false);
            ended += results.Sum();
        }

        return ended;
    }

    /// <summary>Pulls and judges one remote parent; returns how many of its children it ended.</summary>
    public async Task<int> FollowParentAsync(ParentRef parent, LedgerParameters parameters, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(parameters);
        var found = await remoteParents.ObtainAsync(parent, parameters, ct).ConfigureAwait(false);
        Observe(parent.Ledger, found);
        switch (found)
        {
            case RemoteParent.Attested attested:
                var proof = RemoteParents.EventOf(parent, attested.Execution);
                await node.Store.RecordRemoteFollowAsync(
                    new RemoteParentFollow(parent, proof.AttestedAt, proof.Status, proof.AttestationDigest, proof.CheckpointSize), ct).ConfigureAwait(false);
                if (proof.Status is not (ExecutionStatus.Completed or ExecutionStatus.Denied or ExecutionStatus.Halted))
                {
                    return 0;
                }

                // Kept before the ends that record it, so that a lineage export carries it (FORMAT §7.3).
                await node.Store.KeepAttestationAsync(proof.AttestationDigest, attested.Text, ct).ConfigureAwait(false);
                return await EndChildrenAsync(parent, child => view => EndedParentVerdict(child, view, proof), ct).ConfigureAwait(false);
            case RemoteParent.Failed failed:
                // A split view the attestation showed was recorded by RemoteParents before this, as the ends need.
                return await EndLostAsync(parent, failed.Reason == Reason.PeerSplitView ? Reason.PeerSplitView : Reason.FederationSyncLost, failed.Detail, parameters, ct)
                    .ConfigureAwait(false);
            case RemoteParent.NotAPeer:
                return await EndLostAsync(parent, Reason.FederationSyncLost, $"ledger '{parent.Ledger}' is no longer a configured peer", parameters, ct).ConfigureAwait(false);
            default:
                throw new InvalidOperationException("Unknown remote parent outcome.");
        }
    }

    private async Task<int> EndLostAsync(ParentRef parent, Reason reason, string detail, LedgerParameters parameters, CancellationToken ct)
    {
        // The latest proof the follow job kept counts as much as one in the log; read once, it only grows.
        var follow = await node.Store.ReadRemoteFollowAsync(parent, ct).ConfigureAwait(false);
        return await EndChildrenAsync(
            parent,
            child => view =>
            {
                var end = RemoteLineage.EndForLostParent(view.State, reason, detail, follow?.VerifiedAt, view.RecordedAt, parameters);
                return end is not null && view.State.Parent == parent
                    ? new ExecutionVerdict.Append([LedgerEvents.Event(child, LedgerEvents.FollowId(child, view.StreamVersion + 1), end, LedgerEvents.DomainOf(view.State))], end)
                    : new ExecutionVerdict.Decline("not open, or its parent was proven within maxPeerSilence");
            },
            ct).ConfigureAwait(false);
    }

    private static ExecutionVerdict EndedParentVerdict(ExecutionId child, ExecutionView view, ParentAttested proof)
    {
        if (RemoteLineage.EndForEndedParent(view.State, proof) is not [var attested, ITermination end])
        {
            return new ExecutionVerdict.Decline("not open, or not a child of the ended parent");
        }

        var domain = LedgerEvents.DomainOf(view.State);
        return new ExecutionVerdict.Append(
            [
                LedgerEvents.Event(child, LedgerEvents.AttestedId(child, view.StreamVersion + 1), attested, domain),
                LedgerEvents.Event(child, LedgerEvents.FollowId(child, view.StreamVersion + 2), end, domain),
            ],
            end);
    }

    private async Task<int> EndChildrenAsync(ParentRef parent, Func<ExecutionId, ExecutionDecider> decide, CancellationToken ct)
    {
        var children = await node.Store.ListRemoteChildrenAsync(parent, ct).ConfigureAwait(false);
        var ended = 0;
        foreach (var chunk in children.Chunk(AppendConcurrency))
        {
            var results = await Task.WhenAll(chunk.Select(child => node.Store.AppendAsync(
                new AppendRequest(child.StreamName, AppendRequest.AnyVersion, default, []) { Decide = decide(child) }, ct))).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (results[i] is AppendResult.Appended { Tag: ITermination end, Entries: [.., var last] })
                {
                    telemetry.Followed(end.Reason, parent.Ledger);
                    LogEnded(log, chunk[i].Value, end.Reason.Code, last.Position, parent.ExecutionId.Value, parent.Ledger);
                    ended++;
                }
            }
        }

        return ended;
    }

    private void Observe(string peer, RemoteParent found)
    {
        var now = clock.Now();
        var (result, error) = found switch
        {
            RemoteParent.Attested => ("verified", null),
            RemoteParent.Failed { SplitView: not null } failed => ("split-view", failed.Detail),
            RemoteParent.Failed failed => ("failed", failed.Detail),
            _ => ("not-a-peer", $"'{peer}' is not a configured peer"),
        };
        telemetry.Pulled(peer, result);
        Update(peer, p => error is null
            ? p with { LastPullAt = now, LastVerifiedAt = now, LastError = null, LastErrorAt = null }
            : p with { LastPullAt = now, LastError = error, LastErrorAt = now });
    }

    private void Update(string peer, Func<PeerFollowProgress, PeerFollowProgress> change) =>
        _progress.AddOrUpdate(peer, p => change(new PeerFollowProgress(p, null, null, 0, null, null)), (_, p) => change(p));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ended {Execution} ({Reason}) at position {Position}: its parent {Parent} is on peer {Peer}")]
    private static partial void LogEnded(ILogger logger, string execution, string reason, long position, string parent, string peer);
}
