namespace Ledger.Store.Appending;

/// <summary>
/// A unit of work for the single writer. It is either taken by the writer or cancelled by its
/// caller, never both: after <see cref="TryTake"/> succeeds the caller waits for the outcome.
/// </summary>
internal abstract class WriteOperation
{
    private const int Waiting = 0;
    private const int Taken = 1;
    private const int Cancelled = 2;
    private int _state;

    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Waiting) == Waiting;

    public bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting;

    public abstract void Fail(Exception exception);

    public abstract void Cancel(CancellationToken ct);
}
