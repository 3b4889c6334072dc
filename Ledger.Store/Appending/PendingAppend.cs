namespace Ledger.Store.Appending;

/// <summary>A validated append request waiting for the writer, with its statement digests.</summary>
internal sealed class PendingAppend : WriteOperation
{
    public PendingAppend(AppendRequest request, IReadOnlyList<string> digests)
    {
        Request = request;
        Digests = digests;
    }

    public AppendRequest Request { get; }

    /// <summary><c>EmitterStatement.Digest()</c> of each event, in request order.</summary>
    public IReadOnlyList<string> Digests { get; }

    public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Fail(Exception exception) => Completion.TrySetException(exception);

    public override void Cancel(CancellationToken ct) => Completion.TrySetCanceled(ct);
}
