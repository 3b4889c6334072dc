using System.Globalization;
using Ledger.Api.Hosting;
using Ledger.Api.Problems;
using Ledger.Application.Hosting;
using Ledger.Application.Witnessing;
using Ledger.Domain.Notes;

namespace Ledger.Api.Log;

/// <summary>The Merkle log: checkpoints, entries, proofs, receipts and the ledger's key (DESIGN §5).</summary>
public static class LogEndpoints
{
    private const int MaxEntries = 10_000;

    /// <summary>The longest a long-poll of <c>/v1/log/entries</c> may wait for new entries, in seconds.</summary>
    public const int MaxWaitSeconds = 60;
    private static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();

    public static IEndpointRouteBuilder MapLogEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/log").WithTags("Log");
        group.MapGet("/checkpoint", CheckpointAsync).WithName("GetCheckpoint").WithSummary("The latest signed checkpoint (C2SP tlog-checkpoint signed note)")
            .Produces<string>(200, "text/plain").ProducesProblem(503);
        group.MapGet("/entries", EntriesAsync).WithName("GetEntries").WithSummary("Entries in position order, one canonical entry per line; with `wait`, a long-poll for entries at `start` or beyond")
            .Produces<string>(200, "application/x-ndjson").ProducesProblem(400);
        group.MapGet("/proof/inclusion", InclusionAsync).WithName("GetInclusionProof").WithSummary("Inclusion proof of leaf `index` in the tree of `size`")
            .Produces<InclusionProofResponse>().ProducesProblem(400);
        group.MapGet("/proof/consistency", ConsistencyAsync).WithName("GetConsistencyProof").WithSummary("Consistency proof between tree sizes `from` and `to`")
            .Produces<ConsistencyProofResponse>().ProducesProblem(400);
        group.MapGet("/receipt/{position}", ReceiptAsync).WithName("GetReceipt").WithSummary("tlog-proof@v1 receipt of one entry against the latest checkpoint")
            .Produces<string>(200, "text/plain").ProducesProblem(400).ProducesProblem(404).ProducesProblem(503);
        group.MapGet("/key", Key).WithName("GetLedgerKey").WithSummary("The ledger's verifier key (signed-note vkey)")
            .Produces<string>(200, "text/plain");
        return app;
    }

    public static async Task<IResult> CheckpointAsync(LedgerNode node, CancellationToken ct)
    {
        var latest = await node.Store.GetLatestCheckpointAsync(ct).ConfigureAwait(false);
        return latest is null
            ? LedgerProblems.Unavailable("No checkpoint has been signed yet.")
            : TypedResults.Text(latest.SignedNote, "text/plain; charset=utf-8");
    }

    /// <summary>
    /// Entries from <paramref name="start"/>. With <paramref name="wait"/> seconds and no entry at <paramref name="start"/>
    /// yet, the request is held until one is committed (on this node or, for PostgreSQL, another) or the wait is over,
    /// then answered with what there is: an empty body when nothing came. A client that goes away mid-wait ends the
    /// wait at once; nothing is held for it.
    /// </summary>
    public static async Task<IResult> EntriesAsync(LedgerNode node, long? start, int? limit, int? wait, HttpContext http, CancellationToken ct)
    {
        var from = start ?? 0;
        var max = limit ?? 1000;
        if (from < 0)
        {
            return LedgerProblems.OutOfRange($"start must be at least 0, not {from}.");
        }

        if (max is < 1 or > MaxEntries)
        {
            return LedgerProblems.OutOfRange($"limit must be between 1 and {MaxEntries}, not {max}.");
        }

        if (wait is < 0 or > MaxWaitSeconds)
        {
            return LedgerProblems.OutOfRange($"wait must be between 0 and {MaxWaitSeconds} seconds, not {wait}.");
        }

        if (wait is > 0 and var seconds)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(seconds));
            try
            {
                await node.Store.WaitForPositionAsync(from, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return TypedResults.Empty; // the client went away: nobody reads an answer
            }
            catch (OperationCanceledException)
            {
                // Nothing new within the wait: answer with what there is (nothing), and the client asks again.
            }
        }

        http.Response.ContentType = "application/x-ndjson";
        var body = http.Response.Body;
        await foreach (var entry in node.Store.ReadLogAsync(from, max, ct).ConfigureAwait(false))
        {
            await body.WriteAsync(entry.Entry, ct).ConfigureAwait(false);
            await body.WriteAsync(NewLine, ct).ConfigureAwait(false);
        }

        return TypedResults.Empty;
    }

    public static async Task<IResult> InclusionAsync(LedgerNode node, long? index, long? size, CancellationToken ct)
    {
        var treeSize = await node.Store.GetTreeSizeAsync(ct).ConfigureAwait(false);
        var at = size ?? treeSize;
        if (index is not { } i || i < 0 || i >= at || at > treeSize)
        {
            return LedgerProblems.OutOfRange(string.Create(CultureInfo.InvariantCulture,
                $"Need 0 <= index < size <= {treeSize} (the tree size); got index={index?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}, size={at}."));
        }

        var entry = await node.Store.GetEntryAsync(i, ct).ConfigureAwait(false);
        var proof = await node.Store.GetInclusionProofAsync(i, at, ct).ConfigureAwait(false);
        return TypedResults.Ok(new InclusionProofResponse(i, at, Convert.ToBase64String(entry!.LeafHash), [.. proof.Select(Convert.ToBase64String)]));
    }

    public static async Task<IResult> ConsistencyAsync(LedgerNode node, long? from, long? to, CancellationToken ct)
    {
        var treeSize = await node.Store.GetTreeSizeAsync(ct).ConfigureAwait(false);
        var second = to ?? treeSize;
        if (from is not { } first || first < 1 || first > second || second > treeSize)
        {
            return LedgerProblems.OutOfRange(string.Create(CultureInfo.InvariantCulture,
                $"Need 1 <= from <= to <= {treeSize} (the tree size); got from={from?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}, to={second}."));
        }

        var proof = await node.Store.GetConsistencyProofAsync(first, second, ct).ConfigureAwait(false);
        return TypedResults.Ok(new ConsistencyProofResponse(first, second, [.. proof.Select(Convert.ToBase64String)]));
    }

    public static async Task<IResult> ReceiptAsync(LedgerNode node, WitnessedCheckpoints checkpoints, long position, CancellationToken ct)
    {
        if (position < 0)
        {
            return LedgerProblems.OutOfRange($"position must be at least 0, not {position}.");
        }

        var entry = await node.Store.GetEntryAsync(position, ct).ConfigureAwait(false);
        if (entry is null)
        {
            return LedgerProblems.NotFound($"There is no entry at position {position}.");
        }

        var checkpoint = await checkpoints.ForReceiptAsync(position, ct).ConfigureAwait(false);
        if (checkpoint is null)
        {
            return LedgerProblems.Unavailable(node.Witnesses.RequiresQuorum
                ? $"No signed checkpoint that meets the witness quorum '{node.Witnesses.Policy!.QuorumName}' covers position {position} yet; retry once the witnesses have cosigned."
                : $"No signed checkpoint covers position {position} yet; retry after the next checkpoint.");
        }

        var proof = await node.Store.GetInclusionProofAsync(position, checkpoint.Size, ct).ConfigureAwait(false);
        var receipt = TlogProof.ForEntry(position, proof, SignedNote.Parse(checkpoint.SignedNote), entry.Entry);
        return TypedResults.Text(receipt.Format(), "text/plain; charset=utf-8");
    }

    public static IResult Key(LedgerNode node) => TypedResults.Text(node.Signer.Verifier.VerifierKey + "\n", "text/plain; charset=utf-8");
}

/// <summary>An inclusion proof: sibling hashes from the leaf up, base64.</summary>
public sealed record InclusionProofResponse(long Index, long TreeSize, string LeafHash, IReadOnlyList<string> Hashes);

/// <summary>A consistency proof between two tree sizes, base64 hashes.</summary>
public sealed record ConsistencyProofResponse(long From, long To, IReadOnlyList<string> Hashes);
