namespace Ledger.Application.Jobs;

/// <summary>An auto-reset wake-up: <see cref="Set"/> any number of times, one waiter wakes and resets it.</summary>
public sealed class JobSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes the waiter (or the next one to wait).</summary>
    public void Set() => Volatile.Read(ref _next).TrySetResult();

    /// <summary>Completes when set; resets.</summary>
    public async Task WaitAsync(CancellationToken ct)
    {
        var current = Volatile.Read(ref _next);
        await current.Task.WaitAsync(ct).ConfigureAwait(false);
        Interlocked.CompareExchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
    }
}
