using System.Diagnostics;
using System.Globalization;

namespace Ledger.Bench;

/// <summary>Times a batched operation: a warm-up, then several timed runs; the median rate counts.</summary>
internal sealed class Measure
{
    private readonly TimeSpan _warmup;
    private readonly TimeSpan _run;
    private readonly int _runs;

    public Measure(bool quick)
    {
        _warmup = TimeSpan.FromMilliseconds(quick ? 100 : 500);
        _run = TimeSpan.FromMilliseconds(quick ? 200 : 2000);
        _runs = quick ? 3 : 5;
    }

    public static bool IsQuick(string[] args) => args.Contains("--quick", StringComparer.Ordinal);

    /// <summary>
    /// Calls <paramref name="batch"/> (which performs <paramref name="operationsPerBatch"/> operations) repeatedly and
    /// returns the median operations per second over the timed runs.
    /// </summary>
    public double OperationsPerSecond(long operationsPerBatch, Action batch)
    {
        Run(_warmup, operationsPerBatch, batch);
        var rates = new double[_runs];
        for (var i = 0; i < _runs; i++)
        {
            rates[i] = Run(_run, operationsPerBatch, batch);
        }

        Array.Sort(rates);
        return rates[_runs / 2];
    }

    private static double Run(TimeSpan duration, long operationsPerBatch, Action batch)
    {
        long operations = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            batch();
            operations += operationsPerBatch;
        }
        while (clock.Elapsed < duration);

        return operations / clock.Elapsed.TotalSeconds;
    }

    public static string Rate(double perSecond) => perSecond switch
    {
        >= 1e9 => (perSecond / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " G",
        >= 1e6 => (perSecond / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M",
        >= 1e3 => (perSecond / 1e3).ToString("0.00", CultureInfo.InvariantCulture) + " k",
        _ => perSecond.ToString("0.00", CultureInfo.InvariantCulture) + " ",
    };
}
