namespace Ledger.Domain.Bundles;

/// <summary>
/// The text of an execution attestation (docs/FORMAT.md §10.1) that a peer served and this ledger verified, placed right
/// before the inclusion record of the <c>federation.parent-attested.v1</c> entry that names it by digest (FORMAT §7.3), so
/// that an auditor can run the §10.3 verification again offline with the peer's key and policy.
/// </summary>
/// <param name="Text">The attestation document, exactly as served (its SHA-256 is the recorded <c>attestationDigest</c>).</param>
/// <remarks>
/// The reader checks only that the text is non-empty; the verifier pairs it with the next entry and checks it against that
/// entry's digest and the peer's trusted key. Immutable and thread-safe.
/// </remarks>
public sealed record BundleAttestation(string Text) : BundleRecord
{
    /// <inheritdoc />
    public override string RecordName => "attestation";
}
