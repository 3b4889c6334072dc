namespace Ledger.Projections.Storage;

/// <summary>Instants as stored in read models: microseconds since the Unix epoch, UTC (the precision of <c>recordedAt</c>).</summary>
internal static class Micros
{
    public static long From(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static long? From(DateTimeOffset? value) => value is { } v ? From(v) : null;

    public static DateTimeOffset To(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);

    public static DateTimeOffset? To(long? micros) => micros is { } m ? To(m) : null;

    public static long Of(TimeSpan value) => value.Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>The largest whole multiple of <paramref name="unit"/> (since the epoch) not after <paramref name="micros"/>.</summary>
    public static long Floor(long micros, long unit) => micros - (((micros % unit) + unit) % unit);
}
