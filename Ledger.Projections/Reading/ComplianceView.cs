namespace Ledger.Projections.Reading;

/// <summary>What a compliance team of one domain watches, as of <see cref="AsOf"/>.</summary>
/// <param name="Domain">The domain (an execution concerns it as its first entry's domain, its origin or a target domain).</param>
/// <param name="AsOf">The instant the time-dependent lists were computed for.</param>
/// <param name="Position">The position of the read model that answered.</param>
/// <param name="Parameters">The ledger parameters in force, which the deadlines use.</param>
/// <param name="Statuses">Executions per status (statuses with none are left out).</param>
/// <param name="Denied">Denied executions per reason, most frequent first.</param>
/// <param name="Halted">Halted executions per reason, most frequent first.</param>
/// <param name="Running">Running executions, newest first.</param>
/// <param name="VerificationOverdue">Running executions past their deadline (verification interval or authorization expiry; <c>At</c> is the deadline), the silence sweep's next halts.</param>
/// <param name="IntentsOverdue">Intents not started within <c>intentTtl</c> (<c>At</c> is the deadline), the sweep's next denials.</param>
/// <param name="AuthorizationsExpiring">Authorized, trusted or running executions whose authorization ends within the window asked for (<c>At</c> is <c>expiresAt</c>), soonest first.</param>
public sealed record ComplianceView(
    string Domain,
    DateTimeOffset AsOf,
    long Position,
    ParametersView Parameters,
    IReadOnlyDictionary<string, long> Statuses,
    IReadOnlyList<ReasonCount> Denied,
    IReadOnlyList<ReasonCount> Halted,
    ComplianceList Running,
    ComplianceList VerificationOverdue,
    ComplianceList IntentsOverdue,
    ComplianceList AuthorizationsExpiring);
