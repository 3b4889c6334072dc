using Ledger.Application.Executions;
using Ledger.Domain.Access;
using Ledger.Domain.Events;
using Ledger.Store;

namespace Ledger.Application.Access;

/// <summary>Mints a token: appends <c>token.minted.v1</c> (id and secret hash only) and returns the token once.</summary>
public static class TokenMinting
{
    public static async Task<(string Token, TokenMinted Event)> MintAsync(
        string subject, string role, DateTimeOffset? expiresAt, LedgerWriter writer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var (token, tokenId, hash) = ApiToken.Mint();
        var minted = new TokenMinted(tokenId, subject, role, hash, expiresAt);
        var result = await writer.AppendAsync(
            TokenRegistry.StreamName, AppendRequest.AnyVersion, EventId(tokenId), WireNames.Of<TokenMinted>(), "$tokens",
            AccessEventCodec.ToData(minted), writer.Now(), ct).ConfigureAwait(false);
        return result is AppendResult.Appended
            ? (token, minted)
            : throw new InvalidOperationException($"Minting token {tokenId} was not appended: {result.Code}.");
    }

    /// <summary>The event id of a token's <c>token.minted.v1</c>.</summary>
    public static string EventId(string tokenId) => "ledger-token-" + tokenId;
}
