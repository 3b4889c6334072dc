namespace Ledger.Verifier;

/// <summary>
/// Collects failures and warnings, keeping the first <see cref="Kept"/> of each in full and counting the rest, so a
/// bundle broken everywhere does not make the verifier's memory grow.
/// </summary>
/// <remarks>Not thread-safe: only the sequential stage reports.</remarks>
internal sealed class FindingLog
{
    public const int Kept = 100;

    private readonly List<Finding> _failures = [];
    private readonly List<Finding> _warnings = [];

    public IReadOnlyList<Finding> Failures => _failures;

    public IReadOnlyList<Finding> Warnings => _warnings;

    public long FailureCount { get; private set; }

    public long WarningCount { get; private set; }

    public long Line { get; set; }

    public void Fail(string code, long? position, long? treeSize, string message, EvidenceBuilder? evidence = null) =>
        Add(_failures, code, position, treeSize, message, evidence, failure: true);

    public void Warn(string code, long? position, long? treeSize, string message, EvidenceBuilder? evidence = null) =>
        Add(_warnings, code, position, treeSize, message, evidence, failure: false);

    private void Add(List<Finding> list, string code, long? position, long? treeSize, string message, EvidenceBuilder? evidence, bool failure)
    {
        if (failure)
        {
            FailureCount++;
        }
        else
        {
            WarningCount++;
        }

        if (list.Count < Kept)
        {
            list.Add(new Finding(code, Line, position, treeSize, message, evidence?.Items ?? []));
        }
    }
}
