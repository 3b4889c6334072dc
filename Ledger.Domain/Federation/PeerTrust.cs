using Ledger.Domain.Notes;

namespace Ledger.Domain.Federation;

/// <summary>What a ledger trusts for one peer (DESIGN §8.2): its origin, its log key and the C2SP tlog-policy its
/// checkpoints must meet. Always from configuration (or an auditor's arguments), never from the peer's answer.</summary>
/// <param name="Origin">The peer log's origin.</param>
/// <param name="LogKey">The peer's log verifier key: it signs the peer's checkpoints and its attestation statements.</param>
/// <param name="Policy">The policy the peer's checkpoints must meet; it lists <paramref name="LogKey"/>.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record PeerTrust(string Origin, NoteVerifier LogKey, TlogPolicy Policy);
