using System.Globalization;
using System.Text.Json;
using Ledger.Application.Executions;
using Ledger.Application.Hosting;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Parameters;
using Microsoft.Extensions.Logging;

namespace Ledger.Application.Federation;

/// <summary>
/// Learns which executions on peer ledgers name a parent on this ledger, without taking any peer's word for it: a peer's
/// listing (<c>GET /v1/federation/children?origin=</c>) only says which executions to ask about; each one counts only
/// once its own attestation (docs/FORMAT.md §10) verifies with the peer's key and policy from the configuration and
/// proves an intent whose parent is on this ledger. What it proves is shown as a link (read models only; no decision
/// reads it).
/// </summary>
public sealed partial class RemoteChildren(LedgerNode node, IPeerTransport transport, LedgerClock clock, ILogger<RemoteChildren> log)
{
    /// <summary>The largest page a peer's listing answers, and the page asked for.</summary>
    public const int PageSize = 500;

    // A listing is followed for at most this many pages in one tick (a peer that pages forever is cut short).
    private const int MaxPages = 200;

    /// <summary>The executions <paramref name="peer"/> lists as open children of executions on this ledger (a hint, not proof).</summary>
    /// <returns>The ids listed; null when the peer did not answer or answered something that is not a listing.</returns>
    public async Task<IReadOnlyList<ExecutionId>?> ListAsync(Peer peer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var listed = new List<ExecutionId>();
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var query = string.Create(CultureInfo.InvariantCulture, $"v1/federation/children?origin={Uri.EscapeDataString(node.Origin)}&limit={PageSize}");
            if (after is not null)
            {
                query += "&after=" + Uri.EscapeDataString(after);
            }

            PeerReply reply;
            try
            {
                reply = await transport.GetAsync(new Uri(peer.Url, query), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException && !ct.IsCancellationRequested)
            {
                LogListingFailed(log, peer.Origin, e.Message);
                return null;
            }

            if (reply.Status != 200 || !TryParseListing(reply.Body, after, out var ids, out var next))
            {
                LogListingFailed(log, peer.Origin, string.Create(CultureInfo.InvariantCulture, $"status {reply.Status}, or not a listing"));
                return null;
            }

            listed.AddRange(ids);
            if (next is null)
            {
                break;
            }

            after = next;
        }

        return listed;
    }

    /// <summary>
    /// Pulls and verifies the attestation of <paramref name="child"/> on <paramref name="peer"/>: a link when it verifies
    /// and proves a parent on this ledger; null otherwise (nothing is shown that is not proven).
    /// </summary>
    public async Task<VerifiedChild?> AttestAsync(Peer peer, ExecutionId child, LedgerParameters parameters, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(parameters);
        PeerReply reply;
        try
        {
            reply = await transport.GetAsync(new Uri(peer.Url, $"v1/executions/{Uri.EscapeDataString(child.Value)}/attestation"), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            LogChildRefused(log, child.Value, peer.Origin, e.Message);
            return null;
        }

        if (reply.Status != 200)
        {
            LogChildRefused(log, child.Value, peer.Origin, string.Create(CultureInfo.InvariantCulture, $"status {reply.Status}"));
            return null;
        }

        var check = AttestationVerifier.Verify(reply.Body, peer.Trust, child, new AttestationContext(clock.Now(), parameters.MaxPeerSilence));
        if (check is not AttestationCheck.Verified verified)
        {
            LogChildRefused(log, child.Value, peer.Origin, check.Describe());
            return null;
        }

        if (verified.Execution.State.Parent is not { } parent || parent.Ledger != node.Origin)
        {
            LogChildRefused(log, child.Value, peer.Origin, "its attested intent names no parent on this ledger");
            return null;
        }

        var statement = verified.Execution.Statement;
        return new VerifiedChild(parent.ExecutionId, peer.Origin, child, statement.Status, statement.Time, statement.Size, verified.Execution.Digest);
    }

    /// <summary>Parses one page of a listing: <c>{"children":[{"executionId","parentExecutionId"}…],"next":id|null}</c>, ids ascending after <paramref name="after"/>.</summary>
    public static bool TryParseListing(string body, string? after, out IReadOnlyList<ExecutionId> ids, out string? next)
    {
        ids = [];
        next = null;
        var found = new List<ExecutionId>();
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("children", out var children) || children.ValueKind != JsonValueKind.Array
                || children.GetArrayLength() > PageSize)
            {
                return false;
            }

            var last = after;
            foreach (var child in children.EnumerateArray())
            {
                if (child.ValueKind != JsonValueKind.Object || !child.TryGetProperty("executionId", out var id) || id.ValueKind != JsonValueKind.String
                    || !ExecutionId.TryParse(id.GetString(), out var executionId) || (last is not null && string.CompareOrdinal(executionId.Value, last) <= 0))
                {
                    return false;
                }

                found.Add(executionId);
                last = executionId.Value;
            }

            if (root.TryGetProperty("next", out var nextElement) && nextElement.ValueKind == JsonValueKind.String)
            {
                // The cursor must move forward, or the peer could keep the job paging the same ids.
                if (found.Count == 0 || nextElement.GetString() != last)
                {
                    return false;
                }

                next = last;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        ids = found;
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer {Peer} did not list its children of this ledger's executions: {Problem}")]
    private static partial void LogListingFailed(ILogger logger, string peer, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Child {Execution} on peer {Peer} is not shown: {Problem}")]
    private static partial void LogChildRefused(ILogger logger, string execution, string peer, string problem);
}

/// <summary>A child on a peer ledger of an execution here, as its verified attestation proves it.</summary>
/// <param name="Parent">The parent, on this ledger.</param>
/// <param name="Ledger">The peer's origin.</param>
/// <param name="ExecutionId">The child, on the peer.</param>
/// <param name="Status">Its attested status.</param>
/// <param name="AttestedAt">The attestation statement's time.</param>
/// <param name="CheckpointSize">The size of the peer checkpoint it was proven under.</param>
/// <param name="AttestationDigest">The attestation's digest.</param>
/// <remarks>Immutable.</remarks>
public sealed record VerifiedChild(
    ExecutionId Parent, string Ledger, ExecutionId ExecutionId, ExecutionStatus Status, DateTimeOffset AttestedAt, long CheckpointSize, string AttestationDigest);
