namespace Ledger.Projections.Reading;

/// <summary>One entry of an execution stream.</summary>
/// <param name="Position">Its log position (Merkle leaf index).</param>
/// <param name="StreamVersion">Its version in the stream.</param>
/// <param name="Type">The event type (wire name).</param>
/// <param name="Emitter">Who appended it (<c>ledger</c> for the ledger's own).</param>
/// <param name="Domain">The domain it was appended for.</param>
/// <param name="RecordedAt">The ledger's time.</param>
/// <param name="LeafHash">SHA-256(0x00 ‖ entry), standard base64.</param>
/// <param name="Proof">Its inclusion proof against the latest checkpoint, when asked for and covered.</param>
public sealed record ExecutionEventView(
    long Position, long StreamVersion, string Type, string Emitter, string Domain, DateTimeOffset RecordedAt, string LeafHash, InclusionProofView? Proof = null);
