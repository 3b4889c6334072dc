namespace Ledger.Store.Engine;

/// <summary>
/// Wakes everyone waiting for the log to grow: pulsed by the local writer after each commit and by
/// the engine when another process appended. Lock-free; a waiter takes <see cref="Next"/> before it
/// checks the size, so a pulse between the check and the wait is never lost.
/// </summary>
internal sealed class SizeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next pulse.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse()
    {
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _next, fresh).TrySetResult();
    }
}
