namespace Ledger.Store.Appending;

/// <summary>A checkpoint to check and store under the log's write lock.</summary>
internal sealed class PendingCheckpoint : WriteOperation
{
    public PendingCheckpoint(long size, byte[] root, string signedNote)
    {
        Size = size;
        Root = root;
        SignedNote = signedNote;
    }

    public long Size { get; }

    public byte[] Root { get; }

    public string SignedNote { get; }

    public TaskCompletionSource<StoredCheckpoint> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Fail(Exception exception) => Completion.TrySetException(exception);

    public override void Cancel(CancellationToken ct) => Completion.TrySetCanceled(ct);
}
