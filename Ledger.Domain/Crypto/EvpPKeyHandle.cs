using System.Runtime.InteropServices;

namespace Ledger.Domain.Crypto;

/// <summary>Owns an OpenSSL <c>EVP_PKEY*</c> and frees it exactly once.</summary>
/// <remarks>An EVP_PKEY is not modified after creation, so one handle may sign or verify on several threads at once
/// (each operation uses its own <c>EVP_MD_CTX</c>).</remarks>
internal sealed class EvpPKeyHandle : SafeHandle
{
    public EvpPKeyHandle(nint pkey)
        : base(0, ownsHandle: true) => SetHandle(pkey);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_PKEY_free(handle);
        return true;
    }
}
