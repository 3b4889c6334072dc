using Ledger.Api.Append;
using Ledger.Api.Auth;
using Ledger.Application.Executions;
using Ledger.Domain.Access;
using Ledger.Domain.Events;
using Ledger.Store;

namespace Ledger.Api.Admin;

/// <summary>Mints a token: appends <c>token.minted.v1</c> (id and secret hash only) and returns the token once.</summary>
public static class TokenMinting
{
    public static async Task<(string Token, TokenMinted Event)> MintAsync(
        string subject, string role, DateTimeOffset? expiresAt, LedgerWriter writer, CancellationToken ct)
    {
        var (token, tokenId, hash) = ApiToken.Mint();
        var minted = new TokenMinted(tokenId, subject, role, hash, expiresAt);
        var result = await writer.AppendAsync(
            TokenRegistry.StreamName, AppendRequest.AnyVersion, "ledger-token-" + tokenId, WireNames.Of<TokenMinted>(), "$tokens",
            AccessEventCodec.ToData(minted), writer.Now(), ct).ConfigureAwait(false);
        return result is AppendResult.Appended
            ? (token, minted)
            : throw new InvalidOperationException($"Minting token {tokenId} was not appended: {result.Code}.");
    }
}
