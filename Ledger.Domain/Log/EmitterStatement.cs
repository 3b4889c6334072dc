using System.Security.Cryptography;
using System.Text.Json;
using Ledger.Domain.Canonical;

namespace Ledger.Domain.Log;

/// <summary>
/// The part of a ledger entry that the emitter asserts, and signs: the canonical JSON (RFC 8785) of
/// <c>{"data","domain","emitter","eventId","metadata","occurredAt","stream","type"}</c>. Nothing the
/// ledger assigns (origin, position, time, version, chain hash) is in it.
/// </summary>
/// <remarks>
/// <para>Invariants, checked on construction and on every <c>with</c> (<see cref="ArgumentException"/> otherwise):</para>
/// <list type="bullet">
/// <item><see cref="Stream"/>, <see cref="EventId"/>, <see cref="Type"/>, <see cref="Domain"/>, <see cref="Emitter"/>
/// are non-empty; <see cref="OccurredAt"/> is null or non-empty (it is kept as the emitter wrote it); no string
/// holds an unpaired surrogate.</item>
/// <item><see cref="Data"/> is a JSON object; <see cref="Metadata"/> is a JSON object or null (a JSON <c>null</c>
/// passed in becomes null). Both are copied, so they outlive the caller's <see cref="JsonDocument"/>.</item>
/// </list>
/// <para>
/// Whether <see cref="Data"/> and <see cref="Metadata"/> can be canonicalized (no duplicate keys, numbers in
/// range…) is found out by <see cref="ToCanonicalBytes"/>, which throws <see cref="CanonicalJsonException"/>.
/// Equality compares the strings ordinally and the JSON values by their canonical form, so two statements
/// are equal exactly when their canonical bytes are (a value that cannot be canonicalized equals only a
/// structurally identical one). Immutable and thread-safe.
/// </para>
/// </remarks>
public sealed record EmitterStatement
{
    /// <summary>Creates a statement.</summary>
    /// <param name="stream">The stream the event belongs to, e.g. <c>execution-…</c>.</param>
    /// <param name="eventId">The emitter's id for the event (the idempotency key).</param>
    /// <param name="type">The event's wire name, e.g. <c>execution.started.v1</c>.</param>
    /// <param name="domain">The domain the emitter speaks for in this event.</param>
    /// <param name="emitter">The emitter's registered name.</param>
    /// <param name="occurredAt">When the emitter says it happened, RFC 3339 as given, or null.</param>
    /// <param name="data">The event's data, a JSON object.</param>
    /// <param name="metadata">Free-form metadata, a JSON object, or null.</param>
    /// <exception cref="ArgumentException">A value breaks the invariants above.</exception>
    public EmitterStatement(
        string stream,
        string eventId,
        string type,
        string domain,
        string emitter,
        string? occurredAt,
        JsonElement data,
        JsonElement? metadata)
    {
        Stream = stream;
        EventId = eventId;
        Type = type;
        Domain = domain;
        Emitter = emitter;
        OccurredAt = occurredAt;
        Data = data;
        Metadata = metadata;
    }

    /// <summary>The stream the event belongs to.</summary>
    public string Stream { get; init => field = EntryText.Required(value, nameof(Stream)); }

    /// <summary>The emitter's id for the event.</summary>
    public string EventId { get; init => field = EntryText.Required(value, nameof(EventId)); }

    /// <summary>The event's wire name.</summary>
    public string Type { get; init => field = EntryText.Required(value, nameof(Type)); }

    /// <summary>The domain the emitter speaks for in this event.</summary>
    public string Domain { get; init => field = EntryText.Required(value, nameof(Domain)); }

    /// <summary>The emitter's registered name.</summary>
    public string Emitter { get; init => field = EntryText.Required(value, nameof(Emitter)); }

    /// <summary>When the emitter says the event happened (RFC 3339, exactly as given), or null.</summary>
    public string? OccurredAt { get; init => field = EntryText.Optional(value, nameof(OccurredAt)); }

    /// <summary>The event's data: a JSON object.</summary>
    public JsonElement Data { get; init => field = EntryText.Object(value, nameof(Data)); }

    /// <summary>Metadata: a JSON object, or null when absent.</summary>
    public JsonElement? Metadata { get; init => field = EntryText.OptionalObject(value, nameof(Metadata)); }

    /// <summary>The bytes an emitter signs: RFC 8785 canonical JSON of the eight members, <c>metadata</c> and <c>occurredAt</c> written as <c>null</c> when absent.</summary>
    /// <returns>A new array with the canonical UTF-8 bytes.</returns>
    /// <exception cref="CanonicalJsonException"><see cref="Data"/> or <see cref="Metadata"/> cannot be canonicalized.</exception>
    public byte[] ToCanonicalBytes()
    {
        var writer = new CanonicalJsonWriter(256);
        writer.StartObject();
        writer.Json("data", Data);
        writer.String("domain", Domain);
        writer.String("emitter", Emitter);
        writer.String("eventId", EventId);
        writer.Json("metadata", Metadata);
        writer.String("occurredAt", OccurredAt);
        writer.String("stream", Stream);
        writer.String("type", Type);
        writer.EndObject();
        return writer.ToArray();
    }

    /// <summary>
    /// <c>"sha256:"</c> and the lowercase hex SHA-256 of <see cref="ToCanonicalBytes"/>: how a rejected event
    /// is named in a denial, and the content digest that makes a repeated <see cref="EventId"/> idempotent.
    /// </summary>
    /// <returns>The digest text, 71 characters.</returns>
    public string Digest() => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(ToCanonicalBytes()));

    /// <inheritdoc/>
    public bool Equals(EmitterStatement? other) =>
        other is not null
        && string.Equals(Stream, other.Stream, StringComparison.Ordinal)
        && string.Equals(EventId, other.EventId, StringComparison.Ordinal)
        && string.Equals(Type, other.Type, StringComparison.Ordinal)
        && string.Equals(Domain, other.Domain, StringComparison.Ordinal)
        && string.Equals(Emitter, other.Emitter, StringComparison.Ordinal)
        && string.Equals(OccurredAt, other.OccurredAt, StringComparison.Ordinal)
        && EntryText.JsonEquals(Data, other.Data)
        && EntryText.JsonEquals(Metadata, other.Metadata);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Stream, EventId, Type, Domain, Emitter, OccurredAt);
}
