using System.Diagnostics.CodeAnalysis;
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

    /// <summary>
    /// One page of the executions <paramref name="peer"/> lists as children of executions on this ledger, open or ended,
    /// after its first position <paramref name="after"/> (-1: from the start): a hint, not proof.
    /// </summary>
    /// <returns>The page; null when the peer did not answer or answered something that is not a listing page.</returns>
    public async Task<ListedPage?> ListPageAsync(Peer peer, long after, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentOutOfRangeException.ThrowIfLessThan(after, -1);
        var query = string.Create(CultureInfo.InvariantCulture, $"v1/federation/children?origin={Uri.EscapeDataString(node.Origin)}&limit={PageSize}");
        if (after >= 0)
        {
            query += string.Create(CultureInfo.InvariantCulture, $"&after={after}");
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

        if (reply.Status != 200 || !TryParseListing(reply.Body, after, out var page))
        {
            LogListingFailed(log, peer.Origin, string.Create(CultureInfo.InvariantCulture, $"status {reply.Status}, or not a listing"));
            return null;
        }

        return page;
    }

    /// <summary>
    /// Pulls and verifies the attestation of <paramref name="child"/> on <paramref name="peer"/>: linked when it verifies
    /// and proves a parent on this ledger; refused when the peer answered with something that does not (nothing is shown
    /// that is not proven); unavailable when no answer could be had or its checkpoint or time could not be accepted now,
    /// which may change on a later tick.
    /// </summary>
    public async Task<ChildAttestation> AttestAsync(Peer peer, ExecutionId child, LedgerParameters parameters, CancellationToken ct)
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
            return new ChildAttestation.Unavailable(e.Message);
        }

        if (reply.Status != 200)
        {
            var status = string.Create(CultureInfo.InvariantCulture, $"status {reply.Status}");
            LogChildRefused(log, child.Value, peer.Origin, status);
            return new ChildAttestation.Unavailable(status);
        }

        var check = AttestationVerifier.Verify(reply.Body, peer.Trust, child, new AttestationContext(clock.Now(), parameters.MaxPeerSilence));
        if (check is not AttestationCheck.Verified verified)
        {
            LogChildRefused(log, child.Value, peer.Origin, check.Describe());
            return check is AttestationCheck.CheckpointRejected or AttestationCheck.Stale
                ? new ChildAttestation.Unavailable(check.Describe())
                : new ChildAttestation.Refused(check.Describe());
        }

        if (verified.Execution.State.Parent is not { } parent || parent.Ledger != node.Origin)
        {
            const string Elsewhere = "its attested intent names no parent on this ledger";
            LogChildRefused(log, child.Value, peer.Origin, Elsewhere);
            return new ChildAttestation.Refused(Elsewhere);
        }

        var statement = verified.Execution.Statement;
        return new ChildAttestation.Linked(
            new VerifiedChild(parent.ExecutionId, peer.Origin, child, statement.Status, statement.Time, statement.Size, verified.Execution.Digest));
    }

    /// <summary>
    /// Parses one page of a listing: <c>{"children":[{"executionId","parentExecutionId","position"}…],"next":position|null}</c>,
    /// positions strictly ascending after <paramref name="after"/>, and <c>next</c>, when there is more, the last of them.
    /// </summary>
    public static bool TryParseListing(string body, long after, [NotNullWhen(true)] out ListedPage? page)
    {
        page = null;
        var found = new List<ListedChild>();
        var more = false;
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
                if (child.ValueKind != JsonValueKind.Object
                    || !child.TryGetProperty("executionId", out var id) || id.ValueKind != JsonValueKind.String || !ExecutionId.TryParse(id.GetString(), out var executionId)
                    || !child.TryGetProperty("position", out var positionElement) || !positionElement.TryGetInt64(out var position) || position <= last)
                {
                    return false;
                }

                found.Add(new ListedChild(executionId, position));
                last = position;
            }

            if (root.TryGetProperty("next", out var next) && next.ValueKind != JsonValueKind.Null)
            {
                // The cursor must move forward, or the peer could keep the job paging the same children.
                if (found.Count == 0 || !next.TryGetInt64(out var cursor) || cursor != last)
                {
                    return false;
                }

                more = true;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }

        page = new ListedPage(found, more);
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

