using Ledger.Application.Federation;
using Ledger.Application.Hosting;
using Ledger.Application.Jobs;
using Ledger.Application.Registry;
using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;
using Ledger.Projections.Engine;
using Ledger.Projections.Reading;

namespace Ledger.Api.Projections;

/// <summary>
/// Keeps the links to children on peer ledgers (docs/PROJECTIONS.md, "Links to other ledgers"): every
/// <c>Ledger:FollowInterval</c>, on one node, for each configured peer it asks again about the children already linked
/// whose last proven status is not an end, then pages the peer's listing of its executions (open or ended) that name a
/// parent here, from the cursor it keeps per peer, and pulls and verifies each new child's attestation with the peer's
/// configured key and policy (<see cref="RemoteChildren"/>). Only what verifies is written, to a read model: no decision
/// reads it. Its cost per tick follows the open links and the children new since the last tick, never the children that
/// ended long ago.
/// </summary>
public sealed class LinkJob(LedgerNode node, LedgerRegistry registry, RemoteChildren children, ProjectionEngine projections) : ILedgerJob
{
    // Attestation requests in flight to one peer at a time.
    private const int ConcurrencyPerPeer = 8;

    // Listing pages followed per peer in one tick; the rest waits for the next (a peer that pages forever is cut short).
    private const int MaxPagesPerTick = 20;

    /// <inheritdoc />
    public string Name => "links";

    /// <inheritdoc />
    public TimeSpan Interval => node.Options.FollowInterval;

    /// <inheritdoc />
    public JobSignal Signal { get; } = new();

    /// <summary>No tick as the node starts: the links kept are durable, and nothing is owed; the first tick comes after one interval.</summary>
    public bool TickAtStart => false;

    /// <summary>Refreshes, lists, verifies and records the children on every peer; returns how many links it wrote.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var parameters = (await registry.GetAsync(ct).ConfigureAwait(false)).Parameters;
        var written = 0;
        foreach (var peer in node.Peers.All)
        {
            written += await RunPeerAsync(peer, parameters, ct).ConfigureAwait(false);
        }

        return written;
    }

    private async Task<int> RunPeerAsync(Peer peer, LedgerParameters parameters, CancellationToken ct)
    {
        // The children shown whose last proven status is not an end: asked about again, so that their end shows.
        var known = await projections.ReadModels.ListOpenRemoteLinksAsync(peer.Origin, ct).ConfigureAwait(false);
        var refreshed = await AttestAsync(peer, known.Select(ExecutionId.Parse).ToList(), parameters, ct).ConfigureAwait(false);
        var links = Links(refreshed);
        await projections.ReadModels.RecordRemoteLinksAsync(links, null, ct).ConfigureAwait(false);
        var written = links.Count;
        var asked = known.ToHashSet(StringComparer.Ordinal);

        // The children new since the cursor. The cursor moves past a child once its answer settled it (linked, or refused
        // for what it proves); it stops before the first one that could not be had, which is asked again next tick.
        var cursor = await projections.ReadModels.ReadRemoteLinkCursorAsync(peer.Origin, ct).ConfigureAwait(false);
        for (var pages = 0; pages < MaxPagesPerTick; pages++)
        {
            if (await children.ListPageAsync(peer, cursor, ct).ConfigureAwait(false) is not { } page)
            {
                break;
            }

            var fresh = page.Children.Where(c => !asked.Contains(c.ExecutionId.Value)).Select(c => c.ExecutionId).ToList();
            var answers = await AttestAsync(peer, fresh, parameters, ct).ConfigureAwait(false);
            var settled = cursor;
            var stopped = false;
            foreach (var child in page.Children)
            {
                if (answers.TryGetValue(child.ExecutionId.Value, out var answer) && answer is ChildAttestation.Unavailable)
                {
                    stopped = true;
                    break;
                }

                settled = child.Position;
            }

            links = Links(answers);
            await projections.ReadModels.RecordRemoteLinksAsync(links, settled > cursor ? (peer.Origin, settled) : null, ct).ConfigureAwait(false);
            written += links.Count;
            cursor = Math.Max(cursor, settled);
            if (stopped || !page.More)
            {
                break;
            }
        }

        return written;
    }

    private async Task<Dictionary<string, ChildAttestation>> AttestAsync(Peer peer, IReadOnlyList<ExecutionId> ids, LedgerParameters parameters, CancellationToken ct)
    {
        var answers = new Dictionary<string, ChildAttestation>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(ConcurrencyPerPeer))
        {
            var verified = await Task.WhenAll(chunk.Select(id => children.AttestAsync(peer, id, parameters, ct))).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                answers[chunk[i].Value] = verified[i];
            }
        }

        return answers;
    }

    private static List<(string, LineageLink)> Links(Dictionary<string, ChildAttestation> answers) =>
        [.. answers.Values.OfType<ChildAttestation.Linked>().Select(l => l.Child).Select(v => (v.Parent.Value, new LineageLink(
            v.Ledger, v.ExecutionId.Value, v.Status.ToWireName(), v.AttestedAt, v.CheckpointSize, v.AttestationDigest)))];
}
