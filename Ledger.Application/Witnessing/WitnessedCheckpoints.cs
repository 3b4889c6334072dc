using Ledger.Application.Hosting;
using Ledger.Domain.Notes;
using Ledger.Store;

namespace Ledger.Application.Witnessing;

/// <summary>
/// The checkpoints receipts are issued against (DESIGN §8.1): with a policy whose quorum requires cosignatures, the
/// newest checkpoint that meets it (log signature and quorum, checked as any verifier would); otherwise the latest.
/// </summary>
public sealed class WitnessedCheckpoints(LedgerNode node, TimeProvider time)
{
    // How far back (in tree size) receipts look for a checkpoint meeting the policy, window by window.
    private const long Window = 4096;
    private const int MaxWindows = 16;

    /// <summary>The newest checkpoint that covers <paramref name="position"/> and meets the policy; null when there is none (yet).</summary>
    public async Task<StoredCheckpoint?> ForReceiptAsync(long position, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        var latest = await node.Store.GetLatestCheckpointAsync(ct).ConfigureAwait(false);
        if (latest is null || latest.Size <= position || !node.Witnesses.RequiresQuorum || Meets(latest))
        {
            return latest is not null && latest.Size > position ? latest : null;
        }

        var high = latest.Size - 1;
        for (var window = 0; window < MaxWindows && high > position; window++)
        {
            var low = Math.Max(position + 1, high - Window + 1);
            var found = await node.Store.ListCheckpointsAsync(low, high, ct).ConfigureAwait(false);
            if (found.Reverse().FirstOrDefault(Meets) is { } met)
            {
                return met;
            }

            high = low - 1;
        }

        return null;
    }

    /// <summary>Whether <paramref name="checkpoint"/> meets the policy (true when no policy is configured).</summary>
    public TlogPolicyCheck? Check(StoredCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return node.Witnesses.Policy?.Verify(SignedNote.Parse(checkpoint.SignedNote), time.GetUtcNow());
    }

    private bool Meets(StoredCheckpoint checkpoint) => Check(checkpoint) is null or { IsVerified: true };
}
