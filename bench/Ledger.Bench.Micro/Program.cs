using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Ledger.Bench.Micro;

/// <summary>
/// Micro-benchmarks with BenchmarkDotNet: per-entry and per-node costs, each with its physical limit as the baseline
/// of its class (the Ratio column), measured in the same run. The whole-process runs (verifier, rebuilds, store, API)
/// stay in bench/Ledger.Bench.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project bench/Ledger.Bench.Micro -- --filter '*'</c> (docs/BENCHMARKS.md).</remarks>
public static class Program
{
    /// <summary>The entry point: BenchmarkDotNet's switcher (<c>--filter</c>, <c>--list flat</c> …).</summary>
    /// <remarks>
    /// The benchmarks run in this process (in-process emit toolchain), with BenchmarkDotNet's short job: generating and
    /// building a boilerplate project per run takes minutes on a 2-core machine, and the ratios to each class's
    /// baseline, measured in the same process, are what the results report.
    /// </remarks>
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            .Run(args, DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance)));
}
