using Ledger.Domain.Log;

namespace Ledger.Store;

/// <summary>An event as the emitter asserted it, with its optional emitter signature.</summary>
public sealed record ProposedEvent(EmitterStatement Statement, EmitterSignature? Signature);
