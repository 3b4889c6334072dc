namespace Ledger.Store.Witnessing;

/// <summary>What the ledger's witness holds for one log it witnesses (one row of <c>witnessed_logs</c>).</summary>
/// <param name="Origin">The log's origin line.</param>
/// <param name="Size">The size of the latest checkpoint cosigned.</param>
/// <param name="Root">Its 32-byte root hash.</param>
/// <param name="Note">That checkpoint as cosigned: its text, the log's verified signatures and the witness's cosignature.</param>
/// <param name="CosignedAt">When it was cosigned (the cosignature's timestamp).</param>
/// <param name="LoggedSize">The largest size whose cosigning is recorded in <c>$witness</c>; below <see cref="Size"/>
/// only between the state change and its record (a crash there is repaired by the next submission).</param>
/// <param name="SplitViewAt">When the log was first caught showing a split view (it is untrusted from then on); null if never.</param>
public sealed record WitnessedLog(string Origin, long Size, byte[] Root, string Note, DateTimeOffset CosignedAt, long LoggedSize, DateTimeOffset? SplitViewAt)
{
    /// <summary>Whether the log was caught showing a split view.</summary>
    public bool Untrusted => SplitViewAt is not null;
}
