using System.Reflection;

namespace Ledger.Bench;

/// <summary>
/// Runs one benchmark suite: <c>dotnet run -c Release --project bench/Ledger.Bench -- &lt;suite&gt; [--quick]</c>.
/// A suite is any class named <c>XxxBench</c> in this assembly with <c>static Task&lt;int&gt; RunAsync(string[] args)</c>;
/// its name is <c>xxx</c> in lower case (MerkleBench is <c>merkle</c>). Adding a suite needs no change here.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var suites = Discover();
        suites["projections"] = suites["projection"];
        if (args.Length == 0 || !suites.TryGetValue(args[0], out var run))
        {
            Console.Error.WriteLine("usage: Ledger.Bench <suite> [--quick]");
            Console.Error.WriteLine("suites: " + string.Join(", ", suites.Keys.Order(StringComparer.Ordinal)));
            return 2;
        }

        return await run(args[1..]).ConfigureAwait(false);
    }

    private static Dictionary<string, Func<string[], Task<int>>> Discover()
    {
        var suites = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in typeof(Program).Assembly.GetTypes())
        {
            if (!type.Name.EndsWith("Bench", StringComparison.Ordinal) || type.Name == "Bench")
            {
                continue;
            }

            var method = type.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, [typeof(string[])]);
            if (method?.ReturnType == typeof(Task<int>))
            {
                var name = type.Name[..^"Bench".Length].ToLowerInvariant();
                suites[name] = method.CreateDelegate<Func<string[], Task<int>>>();
            }
        }

        return suites;
    }
}
