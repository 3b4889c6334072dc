using Ledger.Application.Hosting;
using Ledger.Domain.Notes;
using Microsoft.Extensions.Logging;

namespace Ledger.Application.Jobs;

/// <summary>
/// Signs C2SP checkpoints of the log with the ledger key. The store refuses a checkpoint that is not consistent
/// with every earlier one, so the ledger never publishes two inconsistent checkpoints.
/// </summary>
public sealed partial class CheckpointJob(LedgerNode node, ILogger<CheckpointJob> log) : ILedgerJob, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<JobSignal> _followers = [];

    /// <inheritdoc />
    public string Name => "checkpoint";

    /// <inheritdoc />
    public TimeSpan Interval => node.Options.CheckpointInterval;

    /// <inheritdoc />
    public JobSignal Signal { get; } = new();

    /// <inheritdoc />
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var before = await node.Store.GetLatestCheckpointAsync(ct).ConfigureAwait(false);
        var after = await SignAsync(force: false, ct).ConfigureAwait(false);
        return after is not null && after != before?.SignedNote ? 1 : 0;
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Sets <paramref name="signal"/> after every checkpoint this job signs (the witness job follows it).</summary>
    public void WakeOnSigned(JobSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        lock (_followers)
        {
            _followers.Add(signal);
        }
    }

    /// <summary>Signs a checkpoint of the current tree when it grew (or always when <paramref name="force"/>); returns the latest note.</summary>
    public async Task<string?> SignAsync(bool force, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var size = await node.Store.GetTreeSizeAsync(ct).ConfigureAwait(false);
            var latest = await node.Store.GetLatestCheckpointAsync(ct).ConfigureAwait(false);
            if (size == 0 || (latest is not null && latest.Size >= size && !force))
            {
                return latest?.SignedNote;
            }

            if (latest is not null && latest.Size == size)
            {
                return latest.SignedNote;
            }

            var root = await node.Store.GetRootAsync(size, ct).ConfigureAwait(false);
            var note = new Checkpoint(node.Origin, size, root).Sign(node.Signer).Format();
            var stored = await node.Store.StoreCheckpointAsync(size, root, note, ct).ConfigureAwait(false);
            LogSigned(log, size);
            lock (_followers)
            {
                _followers.ForEach(f => f.Set());
            }

            return stored.SignedNote;
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Signed a checkpoint at size {Size}")]
    private static partial void LogSigned(ILogger logger, long size);
}
