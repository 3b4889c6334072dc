namespace Ledger.Domain.Notes;

/// <summary>Signature type identifier bytes of c2sp.org/signed-note (the first byte of a vkey's key data).</summary>
/// <remarks>Only the types below are understood; vkeys of other types are rejected when parsed.</remarks>
public static class NoteSignatureType
{
    /// <summary>0x01 — Ed25519 over the note text; key = 32-byte public key.</summary>
    public const byte Ed25519 = 0x01;

    /// <summary>0x02 — ECDSA (here: P-256) with SHA-256, DER signature; key = DER SubjectPublicKeyInfo;
    /// key id = SHA-256(SPKI)[:4].</summary>
    public const byte EcdsaSha256 = 0x02;

    /// <summary>0x04 — timestamped Ed25519 witness cosignature, c2sp.org/tlog-cosignature (cosignature/v1).</summary>
    public const byte CosignatureV1 = 0x04;

    /// <summary>0x05 — RFC 6962 TreeHeadSignature, c2sp.org/static-ct-api; key = DER SPKI.</summary>
    public const byte Rfc6962TreeHead = 0x05;
}
