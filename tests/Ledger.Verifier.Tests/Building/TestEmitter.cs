using Ledger.Domain.Crypto;

namespace Ledger.Verifier.Tests.Building;

/// <summary>An emitter of the simulated ledger: its name and, when it signs, its key.</summary>
internal sealed record TestEmitter(string Name, SigningKey? Key);
