using Ledger.Domain.Events;

namespace Ledger.Domain.Access;

/// <summary>An event of the <c>$tokens</c> stream: the ledger's record of which bearer tokens exist.</summary>
/// <remarks>
/// Only a token's id and the SHA-256 of its secret are recorded, never the secret, so the log can be
/// exported and audited without exposing credentials.
/// </remarks>
public interface IAccessEvent
{
    /// <summary>The token's id (16 lowercase hex digits).</summary>
    public string TokenId { get; }
}

/// <summary>A bearer token was minted for <paramref name="Subject"/> with <paramref name="Role"/>.</summary>
/// <param name="TokenId">16 lowercase hex digits.</param>
/// <param name="Subject">The emitter name the token speaks for, or the operator's name for an admin token.</param>
/// <param name="Role"><c>emitter</c>, <c>admin</c> or <c>viewer</c> (reads only).</param>
/// <param name="SecretHash"><c>sha256:&lt;hex&gt;</c> of the token's secret part.</param>
/// <param name="ExpiresAt">When the token stops working, or null for never.</param>
[WireName("token.minted.v1")]
public sealed record TokenMinted(string TokenId, string Subject, string Role, string SecretHash, DateTimeOffset? ExpiresAt) : IAccessEvent;

/// <summary>A bearer token was revoked; it never works again.</summary>
[WireName("token.revoked.v1")]
public sealed record TokenRevoked(string TokenId, string Reason) : IAccessEvent;
