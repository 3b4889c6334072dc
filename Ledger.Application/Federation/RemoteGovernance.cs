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
/// Obtains and verifies the governance attestation of a peer that is home for domains a governance claim syncs (DESIGN
/// §8.2), before the claim is decided under the store's write lock: keys and policy from configuration, the check
/// <see cref="GovernanceAttestationVerifier"/>, the ledger's clock and the <c>maxPeerSilence</c> in force. Whatever goes
/// wrong fails the claim closed (<c>governance-stale</c>).
/// </summary>
public sealed partial class RemoteGovernance(LedgerNode node, IPeerTransport transport, LedgerClock clock, SplitViewRecords splitViews, ILogger<RemoteGovernance> log)
{
    /// <summary>The peers that are home, by this ledger's configuration, for the claim's synced domains, each with those domains, in the claim's order.</summary>
    public IReadOnlyList<(Peer Peer, IReadOnlyList<string> Domains)> HomesOf(GovernanceSynchronized claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var found = new List<(Peer Peer, List<string> Domains)>();
        foreach (var synced in claim.SyncedDomains)
        {
            if (!node.Peers.TryGetHome(synced.Domain, out var peer))
            {
                continue;
            }

            var index = found.FindIndex(f => f.Peer.Origin == peer.Origin);
            if (index < 0)
            {
                found.Add((peer, [synced.Domain]));
            }
            else if (!found[index].Domains.Contains(synced.Domain, StringComparer.Ordinal))
            {
                found[index].Domains.Add(synced.Domain);
            }
        }

        return [.. found.Select(f => (f.Peer, (IReadOnlyList<string>)f.Domains))];
    }

    /// <summary>What this ledger can prove now of <paramref name="peer"/>'s governance.</summary>
    /// <remarks>
    /// As for a remote parent (<see cref="RemoteParents"/>): the peer checkpoint held is sent as <c>from</c> and the answer
    /// must be consistent with it; a peer once seen showing a split view is not asked again; a verified attestation's
    /// checkpoint becomes the held one when it is larger.
    /// </remarks>
    public async Task<RemoteGovernanceProof> ObtainAsync(Peer peer, LedgerParameters parameters, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(parameters);
        var held = await node.Store.ReadFollowedPeerAsync(peer.Origin, ct).ConfigureAwait(false);
        if (held?.SplitViewAt is { } splitAt)
        {
            return Failed(peer, $"it showed a split view at {splitAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)} and is no longer trusted");
        }

        var query = held is { Size: > 0 } ? string.Create(CultureInfo.InvariantCulture, $"?from={held.Size}") : string.Empty;
        var url = new Uri(peer.Url, "v1/governance/attestation" + query);
        PeerReply reply;
        try
        {
            reply = await transport.GetAsync(url, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            LogUnreachable(log, peer.Origin, e.Message);
            return Failed(peer, "it did not answer: " + e.Message);
        }

        if (reply.Status != 200)
        {
            return Failed(peer, string.Create(CultureInfo.InvariantCulture, $"it answered {reply.Status} for its governance attestation"));
        }

        var context = new AttestationContext(clock.Now(), parameters.MaxPeerSilence) { HeldCheckpoint = held?.Note };
        var check = GovernanceAttestationVerifier.Verify(reply.Body, peer.Trust, context);
        if (check is AttestationCheck.GovernanceVerified verified)
        {
            await node.Store.KeepFollowedPeerAsync(peer.Origin, verified.Governance.Statement.Size, verified.Governance.CheckpointNote, ct).ConfigureAwait(false);
            return new RemoteGovernanceProof.Attested(verified.Governance, reply.Body);
        }

        LogRejected(log, peer.Origin, check.Describe());
        if (check is AttestationCheck.SplitView split)
        {
            await splitViews.RecordPeerAsync(peer.Origin, split, "governance-attestation", ct).ConfigureAwait(false);
        }

        return Failed(peer, $"its governance attestation does not verify ({check.Code}): {check.Describe()}");
    }

    private static RemoteGovernanceProof.Failed Failed(Peer peer, string why) =>
        new(Reason.GovernanceStale, $"the governance of home ledger '{peer.Origin}' could not be proven: {why}");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer {Peer} did not answer for its governance: {Error}")]
    private static partial void LogUnreachable(ILogger logger, string peer, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The governance attestation of peer {Peer} was refused: {Problem}")]
    private static partial void LogRejected(ILogger logger, string peer, string problem);
}

/// <summary>What <see cref="RemoteGovernance.ObtainAsync"/> found: a closed set.</summary>
public abstract record RemoteGovernanceProof
{
    private RemoteGovernanceProof()
    {
    }

    /// <summary>A fresh, verified attestation, and its text as served (kept with the record that names it, for exports).</summary>
    public sealed record Attested(AttestedGovernance Governance, string Text) : RemoteGovernanceProof;

    /// <summary>No verified attestation: the claim is refused with this reason.</summary>
    public sealed record Failed(Reason Reason, string Detail) : RemoteGovernanceProof;
}
