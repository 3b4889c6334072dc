using Ledger.Domain.Log;

namespace Ledger.Store;

/// <summary>An event as the emitter asserted it, with its optional emitter signature.</summary>
public sealed record ProposedEvent(EmitterStatement Statement, EmitterSignature? Signature)
{
    /// <summary>
    /// <c>Statement.Digest()</c> when the caller has computed it already (it canonicalized the statement to check
    /// its signature): the store then does not canonicalize the statement a second time. It must be exactly
    /// that digest: it is the idempotency check's content.
    /// </summary>
    public string? Digest { get; init; }
}
