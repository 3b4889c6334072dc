using System.Diagnostics;

namespace Ledger.Bench;

internal static partial class ApiBench
{
    /// <summary>Appends per second and the latency of each append in the measured window.</summary>
    /// <remarks><see cref="CpuMicrosecondsPerEvent"/> is this process's CPU time (clients included) over the window per
    /// event appended: unlike the rates, it barely moves when other processes compete for the cores.</remarks>
    private sealed record LoadResult(
        double AppendsPerSecond, double EventsPerSecond, double P50Milliseconds, double P99Milliseconds, long Appends, double CpuMicrosecondsPerEvent);

    /// <summary>
    /// Runs <paramref name="clients"/> closed-loop clients (each waits for its append before sending the next) for a
    /// warm-up, then for the measured window; every append must succeed (exact expected versions, own streams).
    /// </summary>
    private static async Task<LoadResult> RunLoadAsync(
        int clients, int eventsPerAppend, TimeSpan warmup, TimeSpan window, Func<int, Func<Task>> clientFactory)
    {
        var measuring = 0;
        var stop = 0;
        var latencies = new List<double>[clients];
        var counts = new long[clients];
        var tasks = new Task[clients];
        for (var c = 0; c < clients; c++)
        {
            var client = c;
            var append = clientFactory(client);
            latencies[client] = new List<double>(1 << 14);
            tasks[client] = Task.Run(async () =>
            {
                while (Volatile.Read(ref stop) == 0)
                {
                    var started = Stopwatch.GetTimestamp();
                    await append().ConfigureAwait(false);
                    if (Volatile.Read(ref measuring) == 1)
                    {
                        latencies[client].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        counts[client]++;
                    }
                }
            });
        }

        var failed = Task.WhenAny(tasks);
        await Task.WhenAny(Task.Delay(warmup), failed).ConfigureAwait(false);
        Volatile.Write(ref measuring, 1);
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAny(Task.Delay(window), failed).ConfigureAwait(false);
        Volatile.Write(ref measuring, 0);
        var elapsed = clock.Elapsed;
        process.Refresh();
        var cpuUsed = process.TotalProcessorTime - cpu;
        Volatile.Write(ref stop, 1);
        await Task.WhenAll(tasks).ConfigureAwait(false);

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var appends = counts.Sum();
        var events = appends * eventsPerAppend;
        return new LoadResult(
            appends / elapsed.TotalSeconds, events / elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99), appends,
            cpuUsed.TotalMicroseconds / Math.Max(1, events));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
