namespace Ledger.Api.Admin;

/// <summary>
/// Size limits of admin requests, checked before anything is built or appended: what an admin token may put into
/// the registry stays small enough to fold, print and check quickly. docs/API.md (Administration) states them.
/// </summary>
public static class AdminLimits
{
    /// <summary>Domains per emitter.</summary>
    public const int MaxDomains = 64;

    /// <summary>Characters per domain.</summary>
    public const int MaxDomainLength = 256;

    /// <summary>Characters of an emitter name or a token subject.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Characters of a public key's text (an ecdsa-p256 key is 135).</summary>
    public const int MaxPublicKeyLength = 256;

    /// <summary>Characters of a revocation reason.</summary>
    public const int MaxReasonLength = 1024;
}
