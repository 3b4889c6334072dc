namespace Ledger.Api.Tests.Infrastructure;

/// <summary>The system clock, moved forward by <see cref="Advance"/>; monotonic timestamps are untouched.</summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>Moves the clock forward; it never moves back (the ledger's time never does).</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, Math.Max(0, by.Ticks));
}
