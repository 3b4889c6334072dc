using System.Text.Json.Serialization;
using System.Text.Json;

namespace Ledger.Api.Append;

/// <summary>The JSON body of <c>POST /v1/streams/{stream}/events</c>.</summary>
public sealed class AppendBody
{
    [JsonRequired]
    public long ExpectedVersion { get; set; }

    [JsonRequired]
    public List<EventBody> Events { get; set; } = [];
}

/// <summary>One event in an append body.</summary>
public sealed class EventBody
{
    [JsonRequired]
    public string EventId { get; set; } = "";

    [JsonRequired]
    public string Type { get; set; } = "";

    [JsonRequired]
    public string Domain { get; set; } = "";

    public string? OccurredAt { get; set; }

    [JsonRequired]
    public JsonElement Data { get; set; }

    public JsonElement? Metadata { get; set; }

    public SignatureBody? Signature { get; set; }
}

/// <summary>An emitter's signature over the event's canonical statement (docs/FORMAT.md §2).</summary>
public sealed class SignatureBody
{
    [JsonRequired]
    public string Alg { get; set; } = "";

    [JsonRequired]
    public string KeyId { get; set; } = "";

    [JsonRequired]
    public string Value { get; set; } = "";
}
