namespace Ledger.Verifier;

/// <summary>The ledger-verify command line.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: ledger-verify BUNDLE --trust VKEY [--trust VKEY...] [--json]");
        return 2;
    }
}
