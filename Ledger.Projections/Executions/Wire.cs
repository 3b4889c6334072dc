using System.Text.Json;
using Ledger.Domain.Executions;

namespace Ledger.Projections.Executions;

/// <summary>Text forms of lifecycle values in the read models (the API's wire names).</summary>
internal static class Wire
{
    private static readonly Dictionary<string, ExecutionStatus> Statuses =
        Enum.GetValues<ExecutionStatus>().ToDictionary(s => s.ToWireName(), StringComparer.Ordinal);

    private static readonly Dictionary<string, ExecutionPhase> Phases =
        Enum.GetValues<ExecutionPhase>().ToDictionary(p => p.ToWireName(), StringComparer.Ordinal);

    public static IReadOnlyCollection<string> StatusNames => Statuses.Keys;

    public static IReadOnlyCollection<string> PhaseNames => Phases.Keys;

    public static ExecutionStatus Status(string text) => Statuses[text];

    public static ExecutionPhase Phase(string text) => Phases[text];

    public static bool IsStatus(string text) => Statuses.ContainsKey(text);

    public static bool IsPhase(string text) => Phases.ContainsKey(text);

    public static string Outcome(ExecutionOutcome outcome) => outcome == ExecutionOutcome.Succeeded ? "succeeded" : "failed";

    public static ExecutionOutcome Outcome(string text) => text == "succeeded" ? ExecutionOutcome.Succeeded : ExecutionOutcome.Failed;

    public static string List(IReadOnlyList<string> values) => JsonSerializer.Serialize(values);

    public static IReadOnlyList<string> List(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    /// <summary>Open: declared, governed, authorized, trusted or running.</summary>
    public static bool IsOpen(ExecutionStatus status) =>
        status is ExecutionStatus.Declared or ExecutionStatus.Governed or ExecutionStatus.Authorized or ExecutionStatus.Trusted or ExecutionStatus.Running;
}
