using System.Globalization;
using Ledger.Application.Executions;
using Ledger.Application.Hosting;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Parameters;
using Ledger.Store;
using Microsoft.Extensions.Logging;

namespace Ledger.Application.Federation;

/// <summary>
/// Obtains and verifies the attestation of a parent on a peer ledger (DESIGN §8.2), before the decision that depends
/// on it is taken under the store's write lock: keys and policy from configuration, the check
/// <see cref="AttestationVerifier"/>, the ledger's clock and the <c>maxPeerSilence</c> in force.
/// </summary>
public sealed partial class RemoteParents(LedgerNode node, IPeerTransport transport, LedgerClock clock, SplitViewRecords splitViews, ILogger<RemoteParents> log)
{
    /// <summary>What this ledger can prove of <paramref name="parent"/> now; <see cref="RemoteParent.NotAPeer"/> when its ledger is not configured.</summary>
    /// <remarks>
    /// The peer's checkpoint held from earlier attestations (durable, <see cref="IEventStore.ReadFollowedPeerAsync"/>) is
    /// sent as <c>from</c>: the answer must be consistent with it, or the peer shows a split view. A peer once seen
    /// showing a split view is not asked again: everything under it fails closed with <c>peer-split-view</c>. A verified
    /// attestation's checkpoint becomes the held one when it is larger.
    /// </remarks>
    public async Task<RemoteParent> ObtainAsync(ParentRef parent, LedgerParameters parameters, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!node.Peers.TryGet(parent.Ledger, out var peer))
        {
            return new RemoteParent.NotAPeer();
        }

        var held = await node.Store.ReadFollowedPeerAsync(peer.Origin, ct).ConfigureAwait(false);
        if (held?.SplitViewAt is { } splitAt)
        {
            return new RemoteParent.Failed(Reason.PeerSplitView, $"peer '{peer.Origin}' showed a split view at {splitAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)} and is no longer trusted");
        }

        var query = held is { Size: > 0 } ? string.Create(CultureInfo.InvariantCulture, $"?from={held.Size}") : string.Empty;
        var url = new Uri(peer.Url, $"v1/executions/{Uri.EscapeDataString(parent.ExecutionId.Value)}/attestation{query}");
        PeerReply reply;
        try
        {
            reply = await transport.GetAsync(url, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            LogUnreachable(log, peer.Origin, e.Message);
            return new RemoteParent.Failed(Reason.FederationSyncLost, $"peer '{peer.Origin}' did not answer for parent execution '{parent.ExecutionId}': {e.Message}");
        }

        if (reply.Status == 404)
        {
            return new RemoteParent.Failed(Reason.LineageBroken, $"parent execution '{parent.ExecutionId}' does not exist on peer '{peer.Origin}'");
        }

        if (reply.Status != 200)
        {
            return new RemoteParent.Failed(Reason.FederationSyncLost,
                string.Create(CultureInfo.InvariantCulture, $"peer '{peer.Origin}' answered {reply.Status} for the attestation of parent execution '{parent.ExecutionId}'"));
        }

        var context = new AttestationContext(clock.Now(), parameters.MaxPeerSilence) { HeldCheckpoint = held?.Note };
        var check = AttestationVerifier.Verify(reply.Body, peer.Trust, parent.ExecutionId, context);
        switch (check)
        {
            case AttestationCheck.Verified verified:
                await node.Store.KeepFollowedPeerAsync(peer.Origin, verified.Execution.Statement.Size, verified.Execution.CheckpointNote, ct).ConfigureAwait(false);
                return new RemoteParent.Attested(verified.Execution, reply.Body);
            case AttestationCheck.SplitView split:
                LogRejected(log, peer.Origin, parent.ExecutionId.Value, check.Describe());
                await splitViews.RecordPeerAsync(peer.Origin, split, "execution-attestation", ct).ConfigureAwait(false);
                return new RemoteParent.Failed(Reason.PeerSplitView, $"peer '{peer.Origin}' shows a split view: {check.Describe()}") { SplitView = split };
            default:
                LogRejected(log, peer.Origin, parent.ExecutionId.Value, check.Describe());
                return new RemoteParent.Failed(Reason.FederationSyncLost,
                    $"the attestation of parent execution '{parent.ExecutionId}' by peer '{peer.Origin}' does not verify ({check.Code}): {check.Describe()}");
        }
    }

    /// <summary>The ledger event that records a verified attestation in a child's stream (FORMAT §10.4).</summary>
    public static ParentAttested EventOf(ParentRef parent, AttestedExecution attested)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(attested);
        return new ParentAttested(
            parent.Ledger, parent.ExecutionId, attested.Digest, attested.CheckpointNote, attested.Statement.Size, attested.Statement.Version,
            attested.State.Status, attested.State.GrantedScope, attested.State.ExpiresAt, attested.Statement.Time);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer {Peer} did not answer: {Error}")]
    private static partial void LogUnreachable(ILogger logger, string peer, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The attestation of {Execution} by peer {Peer} was refused: {Problem}")]
    private static partial void LogRejected(ILogger logger, string peer, string execution, string problem);
}

/// <summary>What <see cref="RemoteParents.ObtainAsync"/> found: a closed set.</summary>
public abstract record RemoteParent
{
    private RemoteParent()
    {
    }

    /// <summary>The parent's ledger is not a configured peer: the lineage rules refuse it (<c>lineage-broken</c>).</summary>
    public sealed record NotAPeer : RemoteParent;

    /// <summary>A fresh, verified attestation, and its text as served (kept with the record that names it, for exports).</summary>
    public sealed record Attested(AttestedExecution Execution, string Text) : RemoteParent;

    /// <summary>No verified attestation: the decision refuses with this reason.</summary>
    public sealed record Failed(Reason Reason, string Detail) : RemoteParent
    {
        /// <summary>When the peer showed a split view in this answer: the evidence (both signed checkpoints, the proof).</summary>
        public AttestationCheck.SplitView? SplitView { get; init; }
    }
}
