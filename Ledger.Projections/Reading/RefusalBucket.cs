namespace Ledger.Projections.Reading;

/// <summary>Executions denied or halted for one reason within one time bucket of a dashboard's window.</summary>
/// <param name="Status"><c>denied</c> or <c>halted</c>.</param>
/// <param name="Reason">The reason code.</param>
/// <param name="Bucket">0 for the bucket starting at the window's start, 1 for the next, ...</param>
/// <param name="Executions">How many.</param>
public sealed record RefusalBucket(string Status, string Reason, int Bucket, long Executions);
