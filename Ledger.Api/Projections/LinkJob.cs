using Ledger.Application.Federation;
using Ledger.Application.Hosting;
using Ledger.Application.Jobs;
using Ledger.Application.Registry;
using Ledger.Domain.Executions;
using Ledger.Projections.Engine;
using Ledger.Projections.Reading;

namespace Ledger.Api.Projections;

/// <summary>
/// Keeps the links to children on peer ledgers (docs/PROJECTIONS.md, "Links to other ledgers"): every
/// <c>Ledger:FollowInterval</c>, on one node, it asks each configured peer which of its open executions name a parent
/// here, adds the children already linked whose last proven status is not an end, and pulls and verifies each one's
/// attestation with the peer's configured key and policy (<see cref="RemoteChildren"/>). Only what verifies is written,
/// to a read model: no decision reads it.
/// </summary>
public sealed class LinkJob(LedgerNode node, LedgerRegistry registry, RemoteChildren children, ProjectionEngine projections) : ILedgerJob
{
    // Attestation requests in flight to one peer at a time.
    private const int ConcurrencyPerPeer = 8;

    /// <inheritdoc />
    public string Name => "links";

    /// <inheritdoc />
    public TimeSpan Interval => node.Options.FollowInterval;

    /// <inheritdoc />
    public JobSignal Signal { get; } = new();

    /// <summary>No tick as the node starts: the links kept are durable, and nothing is owed; the first tick comes after one interval.</summary>
    public bool TickAtStart => false;

    /// <summary>Lists, verifies and records the children on every peer; returns how many links it wrote.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var parameters = (await registry.GetAsync(ct).ConfigureAwait(false)).Parameters;
        var written = 0;
        foreach (var peer in node.Peers.All)
        {
            var listed = await children.ListAsync(peer, ct).ConfigureAwait(false) ?? [];
            var known = await projections.ReadModels.ListOpenRemoteLinksAsync(peer.Origin, ct).ConfigureAwait(false);
            var ask = listed.Select(id => id.Value).Concat(known).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var links = new List<(string, LineageLink)>();
            foreach (var chunk in ask.Chunk(ConcurrencyPerPeer))
            {
                var verified = await Task.WhenAll(chunk.Select(id => children.AttestAsync(peer, ExecutionId.Parse(id), parameters, ct))).ConfigureAwait(false);
                links.AddRange(verified.OfType<VerifiedChild>().Select(v => (v.Parent.Value, new LineageLink(
                    v.Ledger, v.ExecutionId.Value, v.Status.ToWireName(), v.AttestedAt, v.CheckpointSize, v.AttestationDigest))));
            }

            await projections.ReadModels.RecordRemoteLinksAsync(links, ct).ConfigureAwait(false);
            written += links.Count;
        }

        return written;
    }
}
