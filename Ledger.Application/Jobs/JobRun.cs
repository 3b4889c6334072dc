namespace Ledger.Application.Jobs;

/// <summary>One tick this node ran: when, and what it did or how it failed.</summary>
/// <param name="Job">The job's name.</param>
/// <param name="Started">When the tick started (the node's clock).</param>
/// <param name="Ended">When it ended.</param>
/// <param name="Done">What the job reported doing.</param>
/// <param name="Error">The failure's message, when it failed.</param>
public sealed record JobRun(string Job, DateTimeOffset Started, DateTimeOffset Ended, int Done, string? Error);
