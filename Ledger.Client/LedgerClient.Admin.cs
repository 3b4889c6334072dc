using System.Text.Json;

namespace Ledger.Client;

public sealed partial class LedgerClient
{
    /// <summary>Asks the ledger to sign a checkpoint of the current tree now (admin token); returns the signed note.</summary>
    public async Task<string> SignCheckpointAsync(CancellationToken ct = default)
    {
        using var response = await SendAsync(HttpMethod.Post, "v1/admin/checkpoint", null, retry: true, ct).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(await ReadBytesAsync(response, ct).ConfigureAwait(false));
    }

    /// <summary>Registers an emitter, or registers it again with new domains or key (admin token); returns the position
    /// of the registry event, when the ledger reports it.</summary>
    /// <param name="name">The emitter's name.</param>
    /// <param name="domains">The domains it may speak for (<c>*</c> for all).</param>
    /// <param name="publicKey">Its public key text (<c>ed25519:…</c> or <c>ecdsa-p256:…</c>), or null for a token-only emitter.</param>
    /// <param name="signaturesRequired">Whether its unsigned events are refused.</param>
    /// <param name="ct">Cancels the request.</param>
    public async Task<long?> RegisterEmitterAsync(string name, IReadOnlyList<string> domains, string? publicKey, bool signaturesRequired, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(domains);
        var answer = await SendJsonAsync<JsonElement>(HttpMethod.Post, "v1/admin/emitters", new { name, domains, publicKey, signaturesRequired }, retry: true, ct)
            .ConfigureAwait(false);
        return PositionOf(answer);
    }

    /// <summary>Revokes an emitter (admin token): its tokens stop working. Returns the registry event's position.</summary>
    public async Task<long?> RevokeEmitterAsync(string name, string? reason = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var answer = await SendJsonAsync<JsonElement>(HttpMethod.Delete, "v1/admin/emitters/" + Escape(name) + Reason(reason), null, retry: true, ct)
            .ConfigureAwait(false);
        return PositionOf(answer);
    }

    /// <summary>The emitter registry as the ledger lists it (admin token).</summary>
    public Task<JsonElement> ListEmittersAsync(CancellationToken ct = default) =>
        SendJsonAsync<JsonElement>(HttpMethod.Get, "v1/admin/emitters", null, retry: true, ct);

    /// <summary>Mints a bearer token (admin token). Never retried: an answer lost on the way would leave a valid token
    /// that nobody holds, so a failure is reported and the caller decides (and may revoke by id).</summary>
    /// <param name="subject">The emitter's name, or an admin's name with role <c>admin</c>.</param>
    /// <param name="role"><c>emitter</c> or <c>admin</c>.</param>
    /// <param name="expiresAt">When it stops working, or null for never.</param>
    /// <param name="ct">Cancels the request.</param>
    public Task<MintedToken> MintTokenAsync(string subject, string role, DateTimeOffset? expiresAt = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(role);
        return SendJsonAsync<MintedToken>(HttpMethod.Post, "v1/admin/tokens", new { subject, role, expiresAt }, retry: false, ct);
    }

    /// <summary>Revokes a token by its id (admin token); returns the event's position.</summary>
    public async Task<long?> RevokeTokenAsync(string tokenId, string? reason = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        var answer = await SendJsonAsync<JsonElement>(HttpMethod.Delete, "v1/admin/tokens/" + Escape(tokenId) + Reason(reason), null, retry: true, ct)
            .ConfigureAwait(false);
        return PositionOf(answer);
    }

    private static string Reason(string? reason) => string.IsNullOrWhiteSpace(reason) ? "" : "?reason=" + Escape(reason);

    private static long? PositionOf(JsonElement answer) =>
        answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("position", out var p) && p.TryGetInt64(out var position) ? position : null;
}

/// <summary>A freshly minted token: shown once.</summary>
/// <param name="TokenId">Its id (for revocation).</param>
/// <param name="Subject">Whom it is for.</param>
/// <param name="Role"><c>emitter</c> or <c>admin</c>.</param>
/// <param name="Token">The secret itself.</param>
/// <param name="ExpiresAt">When it stops working, or null.</param>
public sealed record MintedToken(string TokenId, string Subject, string Role, string Token, DateTimeOffset? ExpiresAt);
