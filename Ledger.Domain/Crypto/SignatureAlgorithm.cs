namespace Ledger.Domain.Crypto;

/// <summary>The signature algorithm names used on the wire (an emitter signature's <c>alg</c> member).</summary>
/// <remarks>Frozen strings; compare ordinally. <see cref="Log.EmitterSignature"/> takes its names from here.</remarks>
public static class SignatureAlgorithm
{
    /// <summary>ECDSA over NIST P-256 with SHA-256; signatures in IEEE P1363 form (r ‖ s, 64 bytes).</summary>
    public const string EcdsaP256Sha256 = "ecdsa-p256-sha256";

    /// <summary>Ed25519 (RFC 8032); signatures are 64 bytes.</summary>
    public const string Ed25519 = "ed25519";
}
