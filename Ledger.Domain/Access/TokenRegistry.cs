using System.Collections.Immutable;

namespace Ledger.Domain.Access;

/// <summary>One token as the registry knows it.</summary>
public sealed record TokenEntry(string TokenId, string Subject, string Role, string SecretHash, DateTimeOffset? ExpiresAt, string? RevocationReason = null)
{
    /// <summary>Role of a token that appends for an emitter.</summary>
    public const string EmitterRole = "emitter";

    /// <summary>Role of a token that may administer the ledger.</summary>
    public const string AdminRole = "admin";

    /// <summary>Role of a token that may read (queries, decisions, the compliance UI) and never write.</summary>
    public const string ViewerRole = "viewer";

    public bool IsRevoked => RevocationReason is not null;
}

/// <summary>The state of the <c>$tokens</c> stream: every token ever minted and whether it was revoked.</summary>
/// <remarks>Immutable; <see cref="Evolve"/> returns a new registry. Thread-safe.</remarks>
public sealed class TokenRegistry
{
    /// <summary>The stream that holds the token events.</summary>
    public const string StreamName = "$tokens";

    private readonly ImmutableDictionary<string, TokenEntry> _tokens;

    private TokenRegistry(ImmutableDictionary<string, TokenEntry> tokens) => _tokens = tokens;

    public static TokenRegistry Empty { get; } = new(ImmutableDictionary.Create<string, TokenEntry>(StringComparer.Ordinal));

    public IEnumerable<TokenEntry> Tokens => _tokens.Values.OrderBy(t => t.TokenId, StringComparer.Ordinal);

    public TokenEntry? Find(string tokenId) => _tokens.GetValueOrDefault(tokenId);

    /// <summary>Why <paramref name="event"/> cannot apply, or null when it can.</summary>
    public string? Check(IAccessEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return @event switch
        {
            TokenMinted m when _tokens.ContainsKey(m.TokenId) => $"token '{m.TokenId}' already exists",
            TokenRevoked r when !_tokens.TryGetValue(r.TokenId, out _) => $"token '{r.TokenId}' does not exist",
            TokenRevoked r when _tokens[r.TokenId].IsRevoked => $"token '{r.TokenId}' is already revoked",
            _ => null,
        };
    }

    /// <summary>Applies one event; an event that does not apply (see <see cref="Check"/>) throws.</summary>
    public static TokenRegistry Evolve(TokenRegistry registry, IAccessEvent @event)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (registry.Check(@event) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        return @event switch
        {
            TokenMinted m => new(registry._tokens.Add(m.TokenId, new TokenEntry(m.TokenId, m.Subject, m.Role, m.SecretHash, m.ExpiresAt))),
            TokenRevoked r => new(registry._tokens.SetItem(r.TokenId, registry._tokens[r.TokenId] with { RevocationReason = r.Reason })),
            _ => throw new System.Diagnostics.UnreachableException($"No transition for {@event.GetType().FullName}."),
        };
    }
}
