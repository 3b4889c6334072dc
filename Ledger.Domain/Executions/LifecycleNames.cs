using System.Diagnostics;

namespace Ledger.Domain.Executions;

/// <summary>The wire spelling of lifecycle enumerations, as the decision endpoint and read models write them.</summary>
/// <remarks>Stable: these strings are part of the API contract. Stateless and thread-safe.</remarks>
public static class LifecycleNames
{
    /// <summary><c>none</c>, <c>declared</c>, <c>governed</c>, <c>authorized</c>, <c>trusted</c>, <c>running</c>, <c>completed</c>, <c>denied</c>, <c>halted</c>.</summary>
    public static string ToWireName(this ExecutionStatus status) => status switch
    {
        ExecutionStatus.None => "none",
        ExecutionStatus.Declared => "declared",
        ExecutionStatus.Governed => "governed",
        ExecutionStatus.Authorized => "authorized",
        ExecutionStatus.Trusted => "trusted",
        ExecutionStatus.Running => "running",
        ExecutionStatus.Completed => "completed",
        ExecutionStatus.Denied => "denied",
        ExecutionStatus.Halted => "halted",
        _ => throw new UnreachableException($"Unknown status {status}."),
    };

    /// <summary><c>none</c>, <c>intent</c>, <c>governance-sync</c>, <c>authorization</c>, <c>runtime-trust</c>, <c>start</c>, <c>verification</c>, <c>end</c>, <c>proof</c>.</summary>
    public static string ToWireName(this ExecutionPhase phase) => phase switch
    {
        ExecutionPhase.None => "none",
        ExecutionPhase.Intent => "intent",
        ExecutionPhase.GovernanceSync => "governance-sync",
        ExecutionPhase.Authorization => "authorization",
        ExecutionPhase.RuntimeTrust => "runtime-trust",
        ExecutionPhase.Start => "start",
        ExecutionPhase.Verification => "verification",
        ExecutionPhase.End => "end",
        ExecutionPhase.Proof => "proof",
        _ => throw new UnreachableException($"Unknown phase {phase}."),
    };
}
