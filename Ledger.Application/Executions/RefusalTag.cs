using Ledger.Domain.Executions;

namespace Ledger.Application.Executions;

/// <summary>Marks a decided append as a refusal: how many of its events were the emitter's accepted ones.</summary>
internal sealed record RefusalTag(Reason Reason, string Detail, RejectedEvent Rejected, int Accepted);
