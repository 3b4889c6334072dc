using System.Globalization;

namespace Ledger.Verifier.Tests;

/// <summary>Assertions on a report's failures.</summary>
internal static class Findings
{
    public static string Describe(this VerificationReport report) =>
        $"{report.Outcome} unusable={report.Unusable}\n" + string.Join("\n", report.Failures.Select(f => $"{f.Where} {f.Code}: {f.Message}"));

    /// <summary>Exit 1, and a failure with <paramref name="code"/> at entry position <paramref name="position"/>.</summary>
    public static Finding ShouldFailAt(this VerificationReport report, string code, long position)
    {
        report.ExitCode.ShouldBe(1, report.Describe());
        return report.Failures.FirstOrDefault(f => f.Code == code && f.Position == position)
               ?? throw new ShouldAssertException($"expected {code} at position {position}; got\n{report.Describe()}");
    }

    /// <summary>Exit 1, and a failure with <paramref name="code"/> about the tree of size <paramref name="size"/>.</summary>
    public static Finding ShouldFailAtTreeSize(this VerificationReport report, string code, long size)
    {
        report.ExitCode.ShouldBe(1, report.Describe());
        return report.Failures.FirstOrDefault(f => f.Code == code && f.TreeSize == size)
               ?? throw new ShouldAssertException($"expected {code} at tree size {size}; got\n{report.Describe()}");
    }

    /// <summary>
    /// Whether some failure points at <paramref name="position"/>: at it, naming it as the previous entry of a broken
    /// chain, or as the range of a root that no longer matches.
    /// </summary>
    public static bool NamesPosition(this VerificationReport report, long position) =>
        report.Failures.Any(f =>
            f.Position == position
            || f.Evidence.Any(e => e.Key == "previous position" && e.Value == position.ToString(CultureInfo.InvariantCulture))
            || (f.Code == "checkpoint.root-mismatch" && InRange(f, position)));

    private static bool InRange(Finding f, long position)
    {
        var range = f.Evidence.First(e => e.Key == "suspect positions").Value.Trim('[', ')').Split(", ");
        return position >= long.Parse(range[0], CultureInfo.InvariantCulture) && position < long.Parse(range[1], CultureInfo.InvariantCulture);
    }
}
