namespace Ledger.Bench;

internal static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine("no benchmarks yet");
        return 0;
    }
}
