using System.Reflection;

namespace Ledger.Verifier.Tests.Architecture;

public sealed class VerifierReferencesTests
{
    private static readonly Assembly Verifier = typeof(Ledger.Verifier.Program).Assembly;

    [Fact]
    public void Verifier_references_only_the_domain_and_the_BCL()
    {
        var names = Verifier.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        var foreign = names.Where(n => n != "Ledger.Domain" && !n.StartsWith("System", StringComparison.Ordinal)
                                       && n != "netstandard" && n != "mscorlib" && !n.StartsWith("Microsoft.Win32", StringComparison.Ordinal))
                           .ToArray();

        foreign.ShouldBeEmpty();
    }

    [Fact]
    public void Domain_references_no_storage_web_or_database_assembly()
    {
        var domain = Assembly.Load("Ledger.Domain");
        var names = domain.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        names.ShouldAllBe(n => n.StartsWith("System", StringComparison.Ordinal) || n == "netstandard" || n == "mscorlib");
    }
}
