namespace Ledger.Api.Health;

/// <summary>What <c>GET /healthz/ready</c> tolerates (section <c>Ledger:Health</c>; docs/OPERATIONS.md, "Health").</summary>
public sealed class HealthOptions
{
    public const string Section = "Ledger:Health";

    /// <summary>How long the oldest entry not covered by a signed checkpoint may wait (receipts and exports cannot
    /// include it until then).</summary>
    public TimeSpan MaxCheckpointDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many entries a read model may be behind the log.</summary>
    public long MaxProjectionLag { get; set; } = 10_000;

    /// <summary>Every problem with these settings, one sentence each; empty when they are valid.</summary>
    public IReadOnlyList<string> Check()
    {
        var problems = new List<string>();
        if (MaxCheckpointDelay <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:MaxCheckpointDelay: {MaxCheckpointDelay} is not positive");
        }

        if (MaxProjectionLag < 0)
        {
            problems.Add($"{Section}:MaxProjectionLag: {MaxProjectionLag} is negative");
        }

        return problems;
    }
}
