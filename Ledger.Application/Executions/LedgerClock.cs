namespace Ledger.Application.Executions;

/// <summary>The ledger's clock, at the microsecond precision of <c>recordedAt</c>.</summary>
public sealed class LedgerClock(TimeProvider time)
{
    /// <summary>Now, truncated to whole microseconds.</summary>
    public DateTimeOffset Now()
    {
        var t = time.GetUtcNow();
        return new DateTimeOffset(t.UtcTicks - (t.UtcTicks % 10), TimeSpan.Zero);
    }
}
