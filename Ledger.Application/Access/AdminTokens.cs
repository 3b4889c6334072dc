using Ledger.Application.Executions;
using Ledger.Application.Hosting;
using Ledger.Application.Registry;
using Ledger.Domain.Access;

namespace Ledger.Application.Access;

/// <summary>An admin token minted with local access to a ledger's data directory, and the position that records it.</summary>
/// <param name="Token">The token, shown once.</param>
/// <param name="TokenId">Its id.</param>
/// <param name="Position">The log position of its <c>token.minted.v1</c>.</param>
public sealed record MintedAdminToken(string Token, string TokenId, long Position);

/// <summary>
/// <c>ledger admin token --data-dir DIR</c>: local access to the data directory (its ledger key and, on SQLite, its
/// database) is the authority to mint a fresh admin token, recorded in the log as every minted token is. It recovers a
/// ledger whose first admin token was lost. It never creates a ledger: the data directory must hold one (a first
/// start that stopped before its tokens were minted is recovered too).
/// </summary>
public static class AdminTokens
{
    /// <exception cref="LedgerConfigurationException">The data directory holds no ledger, or the options are invalid.</exception>
    public static async Task<MintedAdminToken> MintAsync(LedgerOptions options, string subject, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentNullException.ThrowIfNull(time);
        var dataDir = Path.GetFullPath(options.DataDir);
        if (!File.Exists(Path.Combine(dataDir, LedgerBootstrap.KeyFileName)))
        {
            throw new LedgerConfigurationException($"Ledger:DataDir: '{dataDir}' holds no ledger (no {LedgerBootstrap.KeyFileName})");
        }

        if (LedgerOptionsValidator.Check(options) is [var problem, ..])
        {
            throw new LedgerConfigurationException(problem);
        }

        await using var node = await LedgerBootstrap.OpenAsync(options, ct, time).ConfigureAwait(false);
        using var registry = new LedgerRegistry(node, time);
        var writer = new LedgerWriter(node, registry, new LedgerClock(time));
        var (token, minted) = await TokenMinting.MintAsync(subject, TokenEntry.AdminRole, null, writer, ct).ConfigureAwait(false);
        var entry = await node.Store.FindByEventIdAsync(TokenMinting.EventId(minted.TokenId), ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The token {minted.TokenId} was appended but cannot be read back.");
        return new MintedAdminToken(token, minted.TokenId, entry.Position);
    }
}
