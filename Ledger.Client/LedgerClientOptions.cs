using Ledger.Domain.Crypto;

namespace Ledger.Client;

/// <summary>Where the ledger is, who the caller is, and how patiently the client retries.</summary>
/// <remarks>Immutable once given to a <see cref="LedgerClient"/>; one instance may serve several clients.</remarks>
public sealed class LedgerClientOptions
{
    /// <summary>The ledger's base URL, e.g. <c>http://127.0.0.1:5080/</c>.</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>The bearer token (an emitter's or an admin's); null for the public reads only.</summary>
    public string? Token { get; init; }

    /// <summary>The emitter's registered name, signed into every statement; required with <see cref="SigningKey"/>.</summary>
    public string? Emitter { get; init; }

    /// <summary>The emitter's private key: every appended event is signed with it (Ed25519 or ECDSA P-256). The client
    /// does not dispose it.</summary>
    public SigningKey? SigningKey { get; init; }

    /// <summary>How many times a request is tried again after a transient failure (a connection failure, a timeout,
    /// 408, 429, 500, 502, 503 or 504). Appends are retried too: the ledger answers a repeated event id with the same
    /// content with its original result, so a retry never appends twice.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first delay between tries; it doubles each time (with jitter).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long one try may take before it counts as failed (and is retried).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How long one long-poll of <see cref="LedgerClient.SubscribeAsync"/> asks the ledger to wait for new
    /// entries (1 to 60 seconds, the ledger's bound).</summary>
    public TimeSpan SubscriptionWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many entries one read of the subscription asks for (1 to 10000).</summary>
    public int SubscriptionBatch { get; init; } = 1000;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(BaseAddress);
        if (!BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttp && BaseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The base address must be an absolute http:// or https:// URL, not '{BaseAddress}'.", nameof(BaseAddress));
        }

        if (SigningKey is not null && string.IsNullOrWhiteSpace(Emitter))
        {
            throw new ArgumentException("Signing needs the emitter's registered name (Emitter).", nameof(Emitter));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries, nameof(MaxRetries));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDelay, TimeSpan.Zero, nameof(RetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AttemptTimeout, TimeSpan.Zero, nameof(AttemptTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(SubscriptionWait, TimeSpan.FromSeconds(1), nameof(SubscriptionWait));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SubscriptionWait, TimeSpan.FromSeconds(LedgerClient.MaxWaitSeconds), nameof(SubscriptionWait));
        ArgumentOutOfRangeException.ThrowIfLessThan(SubscriptionBatch, 1, nameof(SubscriptionBatch));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SubscriptionBatch, LedgerClient.MaxEntriesPerRead, nameof(SubscriptionBatch));
    }
}
