using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Polly;
using Polly.Retry;

namespace Ledger.Client;

/// <summary>
/// The ledger's HTTP API for a governance service: typed, signed appends with safe retries, the decision query,
/// receipts verified offline, and a resumable subscription to the log (docs/API.md).
/// </summary>
/// <remarks>
/// <para>Failures are exceptions derived from <see cref="LedgerException"/>: a refusal carries the ledger's problem
/// details (<see cref="LedgerProblemException"/>), an unreachable ledger is a <see cref="LedgerConnectionException"/>
/// once the retries are spent.</para>
/// <para>Transient failures (connection errors, timeouts, 408, 429, 5xx) are retried with exponential back-off.
/// An append is retried with the very bytes of its first try, so its event ids and content are the same and the ledger
/// appends it at most once. Token minting is never retried: a lost answer would leave a token nobody holds.</para>
/// <para>Thread-safe: one instance may serve concurrent requests.</para>
/// </remarks>
public sealed partial class LedgerClient : IDisposable
{
    /// <summary>The longest wait the ledger grants one long-poll of <c>GET /v1/log/entries</c>, in seconds.</summary>
    public const int MaxWaitSeconds = 60;

    /// <summary>The most entries one read of <c>GET /v1/log/entries</c> returns.</summary>
    public const int MaxEntriesPerRead = 10_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly LedgerClientOptions _options;
    private readonly ResiliencePipeline<HttpResponseMessage> _retries;
    private readonly ResiliencePipeline<HttpResponseMessage> _once = ResiliencePipeline<HttpResponseMessage>.Empty;

    /// <summary>Creates a client with its own <see cref="HttpClient"/> over <paramref name="handler"/> (not disposed by the
    /// client), or over a new socket handler when null.</summary>
    /// <exception cref="ArgumentException">An option is not usable.</exception>
    public LedgerClient(LedgerClientOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) }, disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan; // each try has its own timeout (AttemptTimeout)
        _ownsHttp = true;
        _retries = BuildRetries(options);
    }

    /// <summary>Creates a client over <paramref name="http"/> (e.g. from IHttpClientFactory), which the caller owns.
    /// Its <see cref="HttpClient.Timeout"/> bounds every try as well, so keep it above
    /// <see cref="LedgerClientOptions.SubscriptionWait"/> when subscribing.</summary>
    /// <exception cref="ArgumentException">An option is not usable.</exception>
    public LedgerClient(HttpClient http, LedgerClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _http = http;
        _retries = BuildRetries(options);
    }

    /// <summary>The options this client was made with.</summary>
    public LedgerClientOptions Options => _options;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static ResiliencePipeline<HttpResponseMessage> BuildRetries(LedgerClientOptions options)
    {
        if (options.MaxRetries == 0)
        {
            return ResiliencePipeline<HttpResponseMessage>.Empty;
        }

        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or AttemptTimeoutException } => true,
                    { Result: { } response } => IsTransient(response.StatusCode),
                    _ => false,
                }),
            })
            .Build();
    }

    private static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>Sends a request (retried when <paramref name="retry"/>) and returns its successful response, which the
    /// caller disposes; a refusal becomes a <see cref="LedgerProblemException"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string pathAndQuery, byte[]? json, bool retry, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, TimeSpan? timeout = null)
    {
        var uri = new Uri(_options.BaseAddress, pathAndQuery);
        var attemptTimeout = timeout ?? _options.AttemptTimeout;
        HttpResponseMessage response;
        try
        {
            response = await (retry ? _retries : _once).ExecuteAsync(
                async token =>
                {
                    using var request = new HttpRequestMessage(method, uri);
                    if (json is not null)
                    {
                        request.Content = new ByteArrayContent(json);
                        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                    }

                    if (_options.Token is { } bearer)
                    {
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                    }

                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(token);
                    attempt.CancelAfter(attemptTimeout);
                    try
                    {
                        return await _http.SendAsync(request, completion, attempt.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!token.IsCancellationRequested)
                    {
                        throw new AttemptTimeoutException();
                    }
                },
                ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new LedgerConnectionException($"Cannot reach the ledger at {_options.BaseAddress}: {Describe(e)}", e);
        }
        catch (AttemptTimeoutException e)
        {
            throw new LedgerConnectionException(
                string.Create(CultureInfo.InvariantCulture, $"The ledger at {_options.BaseAddress} did not answer within {attemptTimeout.TotalSeconds:0} s."), e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                body = "";
            }

            throw new LedgerProblemException(LedgerProblem.Parse(response.StatusCode, body));
        }
    }

    private async Task<T> SendJsonAsync<T>(HttpMethod method, string pathAndQuery, object? body, bool retry, CancellationToken ct)
    {
        var json = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, Json);
        using var response = await SendAsync(method, pathAndQuery, json, retry, ct).ConfigureAwait(false);
        return await ReadJsonAsync<T>(response, ct).ConfigureAwait(false);
    }

    private async Task<string> GetTextAsync(string pathAndQuery, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, pathAndQuery, null, retry: true, ct).ConfigureAwait(false);
        return Encoding.UTF8.GetString(await ReadBytesAsync(response, ct).ConfigureAwait(false));
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        var bytes = await ReadBytesAsync(response, ct).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Json)
                ?? throw new LedgerResponseException($"The ledger answered {(int)response.StatusCode} with an empty JSON body.");
        }
        catch (JsonException e)
        {
            throw new LedgerResponseException($"The ledger answered {(int)response.StatusCode} with a body that is not the expected JSON: {e.Message}", e);
        }
    }

    private static async Task<byte[]> ReadBytesAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new LedgerConnectionException($"The connection to the ledger broke while reading its answer: {Describe(e)}", e);
        }
    }

    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (var inner = (Exception?)e; inner is not null; inner = inner.InnerException)
        {
            if (!messages.Contains(inner.Message, StringComparer.Ordinal))
            {
                messages.Add(inner.Message);
            }
        }

        return string.Join(" ", messages);
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>One try took longer than its timeout (retried like a connection failure).</summary>
    private sealed class AttemptTimeoutException : Exception
    {
        public AttemptTimeoutException()
            : base("The try timed out.")
        {
        }
    }
}
