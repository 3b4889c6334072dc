using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Executions;

namespace Ledger.Client;

public sealed partial class LedgerClient
{
    /// <summary>Appends lifecycle events to an execution's stream, signed with <see cref="LedgerClientOptions.SigningKey"/>
    /// when one is set.</summary>
    /// <param name="execution">The execution; its stream is <c>execution-{id}</c>.</param>
    /// <param name="expectedVersion"><c>-1</c> any version, <c>0</c> the stream must not exist yet, <c>n</c> exactly n.</param>
    /// <param name="events">The events, in order.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>Where they landed; <see cref="AppendResult.Replayed"/> when they were already appended (a retry).</returns>
    /// <exception cref="LedgerProblemException">Refused: 400/401/403 (nothing appended), 409 (a version or event id conflict,
    /// or a terminal execution: nothing appended), 422 (a lifecycle rule broken: the ledger appended the denial or halt at
    /// <see cref="LedgerProblem.Position"/>).</exception>
    /// <exception cref="ArgumentException">An event holds values its wire format does not allow.</exception>
    public Task<AppendResult> AppendAsync(ExecutionId execution, long expectedVersion, IReadOnlyList<LifecycleEvent> events, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        return AppendAsync(execution.StreamName, expectedVersion, [.. events.Select(e => (e ?? throw new ArgumentException("An event is null.", nameof(events))).ToSubmission())], ct);
    }

    /// <summary>Appends events given with their JSON data to <paramref name="stream"/>; see the typed overload.</summary>
    public async Task<AppendResult> AppendAsync(string stream, long expectedVersion, IReadOnlyList<EventSubmission> events, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedVersion, -1);
        var body = AppendBody.Write(stream, expectedVersion, events, _options.Emitter, _options.SigningKey);
        return await AppendBodyAsync(stream, body, ct).ConfigureAwait(false);
    }

    /// <summary>Appends events given as JSON objects exactly as written (the ledger validates them), replacing each
    /// <c>signature</c> when the client has a signing key: for tools that read event files.</summary>
    /// <exception cref="ArgumentException">An event is not an object, or cannot be signed (the message names it).</exception>
    public async Task<AppendResult> AppendJsonAsync(string stream, long expectedVersion, IReadOnlyList<JsonElement> events, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentNullException.ThrowIfNull(events);
        var body = AppendBody.WriteJson(stream, expectedVersion, events, _options.Emitter, _options.SigningKey);
        return await AppendBodyAsync(stream, body, ct).ConfigureAwait(false);
    }

    /// <summary>Whether the execution may act now, and until when (<c>GET /v1/executions/{id}/decision</c>).</summary>
    /// <exception cref="LedgerProblemException">404 when the execution has no events; 401 without a valid token.</exception>
    public async Task<ExecutionDecision> GetDecisionAsync(ExecutionId execution, CancellationToken ct = default)
    {
        var answer = await SendJsonAsync<DecisionBody>(HttpMethod.Get, "v1/executions/" + Escape(execution.Value) + "/decision", null, retry: true, ct)
            .ConfigureAwait(false);
        DateTimeOffset? validUntil = null;
        if (answer.ValidUntil is { } text)
        {
            validUntil = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                ? at
                : throw new LedgerResponseException($"The decision's validUntil '{text}' is not an RFC 3339 time.");
        }

        return new ExecutionDecision(answer.Allowed, answer.Status ?? "", answer.Phase ?? "", answer.Reason, validUntil);
    }

    private async Task<AppendResult> AppendBodyAsync(string stream, byte[] body, CancellationToken ct)
    {
        var answer = await SendJsonAsync<AppendBodyAnswer>(body, "v1/streams/" + Escape(stream) + "/events", ct).ConfigureAwait(false);
        return new AppendResult(answer.Stream ?? stream, answer.StreamVersion, answer.Replayed, answer.Entries ?? []);
    }

    private async Task<T> SendJsonAsync<T>(byte[] json, string pathAndQuery, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, pathAndQuery, json, retry: true, ct).ConfigureAwait(false);
        return await ReadJsonAsync<T>(response, ct).ConfigureAwait(false);
    }

    private sealed record DecisionBody(bool Allowed, string? Status, string? Phase, string? Reason, string? ValidUntil);

    private sealed record AppendBodyAnswer(string? Stream, long StreamVersion, bool Replayed, IReadOnlyList<AppendedEntry>? Entries);
}
