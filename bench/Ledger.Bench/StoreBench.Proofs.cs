using System.Diagnostics;
using System.Globalization;
using Ledger.Domain.Log;
using Ledger.Store;

namespace Ledger.Bench;

internal static partial class StoreBench
{
    /// <summary>
    /// Grows one log through the store itself (4096-event appends) to 10^4, 10^5, 10^6 … leaves and at
    /// each size times single proof requests through <see cref="IEventStore"/>: inclusion of a random
    /// leaf in the whole tree, consistency from a random earlier size.
    /// </summary>
    private static async Task ProofLatencyAsync(string engine, string connectionString, long maxLeaves, int samples)
    {
        await using var store = await EventStoreFactory.OpenAsync(new StoreOptions { Engine = engine, ConnectionString = connectionString, Origin = Origin });
        var data = Payload();
        var random = new Random(6962);
        long size = 0;
        for (var target = 10_000L; target <= maxLeaves; target *= 10)
        {
            while (size < target)
            {
                var count = (int)Math.Min(4096, target - size);
                var stream = "grow-" + (size / 4096 % 16).ToString(CultureInfo.InvariantCulture);
                var batch = new ProposedEvent[count];
                for (var i = 0; i < count; i++)
                {
                    var eventId = "grow-" + (size + i).ToString(CultureInfo.InvariantCulture);
                    batch[i] = new ProposedEvent(new EmitterStatement(stream, eventId, "bench.appended.v1", "bench", "bench-emitter", null, data, null), null);
                }

                await store.AppendAsync(new AppendRequest(stream, AppendRequest.AnyVersion, DateTimeOffset.UtcNow, batch));
                size += count;
            }

            var treeSize = size;
            var inclusion = await TimeAsync(samples, () => store.GetInclusionProofAsync(random.NextInt64(0, treeSize), treeSize));
            var consistency = await TimeAsync(samples, () => store.GetConsistencyProofAsync(random.NextInt64(1, treeSize), treeSize));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {engine} | {treeSize:N0} | {Milliseconds(inclusion.P50)} | {Milliseconds(inclusion.P99)} | {Milliseconds(consistency.P50)} | {Milliseconds(consistency.P99)} |"));
        }
    }

    private static async Task<(double P50, double P99)> TimeAsync(int samples, Func<Task> call)
    {
        for (var i = 0; i < Math.Min(200, samples); i++)
        {
            await call();
        }

        var times = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var clock = Stopwatch.StartNew();
            await call();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return (times[samples / 2], times[(int)Math.Ceiling(samples * 0.99) - 1]);
    }
}
