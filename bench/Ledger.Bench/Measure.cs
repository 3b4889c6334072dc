using System.Diagnostics;
using System.Globalization;

namespace Ledger.Bench;

/// <summary>
/// Times batched operations on a shared machine: every registered benchmark is warmed up, then all of them run in
/// turn for several rounds, and each keeps its best rate. Interleaving gives every benchmark the same chances of
/// running while the machine is quiet; the best rate is the least disturbed one, so ratios between rates of one
/// run stay meaningful even under load.
/// </summary>
internal sealed class Measure
{
    private readonly TimeSpan _warmup;
    private readonly TimeSpan _run;
    private readonly int _rounds;
    private readonly List<(long OperationsPerBatch, Action Batch)> _benchmarks = [];

    public Measure(bool quick)
    {
        _warmup = TimeSpan.FromMilliseconds(quick ? 100 : 300);
        _run = TimeSpan.FromMilliseconds(quick ? 100 : 400);
        _rounds = quick ? 3 : 9;
    }

    public static bool IsQuick(string[] args) => args.Contains("--quick", StringComparer.Ordinal);

    public string Description =>
        string.Create(CultureInfo.InvariantCulture, $"best of {_rounds} interleaved runs of {_run.TotalSeconds:0.0} s each, after a {_warmup.TotalSeconds:0.0} s warm-up");

    /// <summary>Registers a benchmark: <paramref name="batch"/> performs <paramref name="operationsPerBatch"/> operations. Returns its position.</summary>
    public int Add(long operationsPerBatch, Action batch)
    {
        _benchmarks.Add((operationsPerBatch, batch));
        return _benchmarks.Count - 1;
    }

    /// <summary>Runs every benchmark and returns the best operations per second of each, by position.</summary>
    public double[] RunAll()
    {
        foreach (var (operations, batch) in _benchmarks)
        {
            Run(_warmup, operations, batch);
        }

        var best = new double[_benchmarks.Count];
        for (var round = 0; round < _rounds; round++)
        {
            for (var i = 0; i < _benchmarks.Count; i++)
            {
                best[i] = Math.Max(best[i], Run(_run, _benchmarks[i].OperationsPerBatch, _benchmarks[i].Batch));
            }
        }

        return best;
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
