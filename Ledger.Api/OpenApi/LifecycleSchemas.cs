using System.Reflection;
using System.Text.Json.Nodes;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;
using Microsoft.OpenApi;

namespace Ledger.Api.OpenApi;

/// <summary>
/// The lifecycle's closed sets as named enumerations of the OpenAPI document, taken from the Domain's own lists
/// (<see cref="LifecycleNames"/>, <see cref="Reason.All"/>, <see cref="ExecutionEventCodec.Types"/>), and the members
/// and query parameters of the API that carry them.
/// </summary>
internal static class LifecycleSchemas
{
    public const string Status = "ExecutionStatus";
    public const string Phase = "ExecutionPhase";
    public const string ReasonCode = "Reason";
    public const string EventType = "ExecutionEventType";

    // (schema, member, enumeration): the answers that carry a lifecycle value. A schema or member missing here is a
    // renamed type: the document fails to build, and the tests say so.
    private static readonly (string Schema, string Member, string Enumeration)[] Members =
    [
        ("DecisionResponse", "status", Status), ("DecisionResponse", "phase", Phase), ("DecisionResponse", "reason", ReasonCode),
        ("ExecutionSummary", "status", Status), ("ExecutionSummary", "phase", Phase), ("ExecutionSummary", "reason", ReasonCode),
        ("ExecutionDetail", "status", Status), ("ExecutionDetail", "phase", Phase), ("ExecutionDetail", "reason", ReasonCode),
        ("ReasonCount", "reason", ReasonCode),
        ("RejectedView", "type", EventType), ("ExecutionEventView", "type", EventType),
    ];

    private static readonly (string Path, string Parameter, string Enumeration)[] Parameters =
    [
        ("/v1/executions", "status", Status), ("/v1/executions", "phase", Phase), ("/v1/executions", "reason", ReasonCode),
    ];

    public static IReadOnlyList<string> StatusNames { get; } = [.. Enum.GetValues<ExecutionStatus>().Select(s => s.ToWireName())];

    public static IReadOnlyList<string> PhaseNames { get; } = [.. Enum.GetValues<ExecutionPhase>().Select(p => p.ToWireName())];

    public static IReadOnlyList<string> ReasonCodes { get; } = [.. Reason.All.Select(r => r.Code)];

    /// <summary>Every type an entry of the log may have: the execution events and the ledger's own streams' events.</summary>
    public static IReadOnlyList<(Type Type, string WireName)> LogEventTypes { get; } =
    [
        .. typeof(WireNameAttribute).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<WireNameAttribute>(inherit: false) is not null)
            .Select(t => (t, WireNames.Of(t)))
            .OrderBy(t => t.Item2, StringComparer.Ordinal),
    ];

    public static void Apply(OpenApiDocument document)
    {
        var schemas = document.Components!.Schemas!;
        schemas[Status] = Enumeration("Where an execution stands.", StatusNames);
        schemas[Phase] = Enumeration("The lifecycle phase an execution last reached.", PhaseNames);
        schemas[ReasonCode] = Enumeration(
            "Why an execution was denied or halted: a closed set, extended only by adding. " +
            string.Join("; ", Reason.All.Select(r => $"`{r.Code}`: {r.Description}")) + ".",
            ReasonCodes);
        schemas[EventType] = Enumeration("The wire type of an execution event.", ExecutionEventCodec.Types);

        foreach (var (schemaName, member, enumeration) in Members)
        {
            var schema = schemas.TryGetValue(schemaName, out var found) && found is OpenApiSchema s && s.Properties is { } properties
                ? properties
                : throw new InvalidOperationException($"The OpenAPI document has no schema '{schemaName}'.");
            if (!schema.TryGetValue(member, out var current))
            {
                throw new InvalidOperationException($"The OpenAPI schema '{schemaName}' has no member '{member}'.");
            }

            schema[member] = Reference(document, enumeration, nullable: current.Type is { } t && t.HasFlag(JsonSchemaType.Null));
        }

        foreach (var (path, name, enumeration) in Parameters)
        {
            var operation = document.Paths[path].Operations![HttpMethod.Get];
            var parameter = operation.Parameters!.OfType<OpenApiParameter>().SingleOrDefault(p => p.Name == name)
                ?? throw new InvalidOperationException($"GET {path} has no parameter '{name}'.");
            parameter.Schema = Reference(document, enumeration, nullable: false);
        }
    }

    /// <summary>A reference to one of the enumerations, or to it or null.</summary>
    public static IOpenApiSchema Reference(OpenApiDocument document, string enumeration, bool nullable)
    {
        var reference = new OpenApiSchemaReference(enumeration, document);
        return nullable ? new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, reference] } : reference;
    }

    public static OpenApiSchema Enumeration(string description, IEnumerable<string> values) => new()
    {
        Type = JsonSchemaType.String,
        Description = description,
        Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
    };
}
