using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;
using Ledger.Domain.Publications;
using Microsoft.OpenApi;

namespace Ledger.Api.OpenApi;

/// <summary>
/// A schema per execution event type, read from the Domain's event records (their primary constructors are the
/// members of <c>data</c>, in camelCase, as <see cref="ExecutionEventCodec"/> writes them), and the event shapes of the
/// API (<c>EventBody</c> in an append, <c>EntryView</c> in a stream) as a <c>oneOf</c> selected by <c>type</c>.
/// </summary>
/// <remarks>
/// A constructor parameter without a default is required (nullable ones may be <c>null</c>); one with a default is
/// optional and omitted when absent. <c>data</c> refuses unknown members, as the codec does.
/// </remarks>
internal sealed class EventSchemas
{
    public const string DataSuffix = "Data";
    public const string SubmissionSuffix = "Submission";
    public const string EntrySuffix = "Entry";
    public const string OtherEntry = "LedgerStreamEntry";

    private readonly OpenApiDocument _document;
    private readonly IDictionary<string, IOpenApiSchema> _schemas;
    private readonly NullabilityInfoContext _nullability = new();

    private EventSchemas(OpenApiDocument document)
    {
        _document = document;
        _schemas = document.Components!.Schemas!;
    }

    /// <summary>The execution event records and their wire names, checked against the codec's own list.</summary>
    public static IReadOnlyList<(Type Type, string WireName)> ExecutionEvents { get; } = LoadExecutionEvents();

    public static void Apply(OpenApiDocument document) => new EventSchemas(document).Apply();

    private static List<(Type, string)> LoadExecutionEvents()
    {
        // In the codec's order, which is the lifecycle's.
        var order = ExecutionEventCodec.Types.ToList();
        var events = LifecycleSchemas.LogEventTypes.Where(t => typeof(IExecutionEvent).IsAssignableFrom(t.Type)).OrderBy(t => order.IndexOf(t.WireName)).ToList();
        if (!order.ToHashSet(StringComparer.Ordinal).SetEquals(events.Select(e => e.WireName)))
        {
            throw new InvalidOperationException("The execution event records and ExecutionEventCodec.Types disagree.");
        }

        return events;
    }

    private void Apply()
    {
        // An event's metadata (the one free-form member the API takes) is an object: without this it reads "anything",
        // which null also is, and the nullable member's oneOf would match twice.
        _schemas["JsonElement"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "Any JSON object." };
        foreach (var (type, wireName) in ExecutionEvents)
        {
            var data = Record(type, $"The `data` of `{wireName}`.");
            data.Examples = EventExamples.ByType.TryGetValue(type, out var example)
                ? [JsonNode.Parse(ExecutionEventCodec.ToData(example).GetRawText())!]
                : throw new InvalidOperationException($"No example of {wireName}.");
            _schemas[type.Name + DataSuffix] = data;
        }

        // A policy publication is submitted like an execution event, to the $governance stream (docs/FORMAT.md §6.3).
        var published = (typeof(PolicyPublished), WireNames.Of<PolicyPublished>());
        var publishedData = Record(typeof(PolicyPublished), $"The `data` of `{published.Item2}` (stream `{GovernanceBook.StreamName}`).");
        publishedData.Examples = [JsonNode.Parse(GovernanceEventCodec.ToData(EventExamples.Publication).GetRawText())!];
        _schemas[nameof(PolicyPublished) + DataSuffix] = publishedData;

        var submitted = ExecutionEvents.Where(e => !ExecutionEventCodec.LedgerOnlyTypes.Contains(e.WireName)).Append(published).ToList();
        Select("EventBody", SubmissionSuffix, submitted, null,
            "One event of an append, selected by `type`: the events an emitter may submit to an execution stream (the ledger alone appends " +
            string.Join(" and ", ExecutionEventCodec.LedgerOnlyTypes.Select(t => $"`{t}`")) + $"), and `{published.Item2}` to `{GovernanceBook.StreamName}`.");

        var typed = ExecutionEvents.Append(published).ToList();
        var others = LifecycleSchemas.LogEventTypes.Where(t => !typed.Any(e => e.Item1 == t.Type)).Select(t => t.WireName).ToList();
        Select("EntryView", EntrySuffix, typed, others,
            "An entry of a stream, selected by `type`: an execution event or a policy publication with its typed `data`, or an event of one of the ledger's own streams " +
            "(`$ledger`, `$emitters`, `$tokens`, `$witness`, `$federation`, `$governance`; docs/FORMAT.md gives their data).");
    }

    // Turns the generated object schema `name` into a oneOf of one variant per event type, each the same object with
    // `type` fixed and `data` typed, and a discriminator mapping every wire name to its variant.
    private void Select(string name, string suffix, IReadOnlyList<(Type Type, string WireName)> events, IReadOnlyList<string>? others, string description)
    {
        var template = _schemas.TryGetValue(name, out var found) && found is OpenApiSchema s && s.Properties is not null
            ? s
            : throw new InvalidOperationException($"The OpenAPI document has no object schema '{name}'.");
        var oneOf = new List<IOpenApiSchema>();
        var mapping = new Dictionary<string, OpenApiSchemaReference>(StringComparer.Ordinal);
        foreach (var (type, wireName) in events)
        {
            var variant = Variant(template, $"`{wireName}`.", LifecycleSchemas.Enumeration("The event type.", [wireName]));
            variant.Properties!["data"] = new OpenApiSchemaReference(type.Name + DataSuffix, _document);
            _schemas[type.Name + suffix] = variant;
            var reference = new OpenApiSchemaReference(type.Name + suffix, _document);
            oneOf.Add(reference);
            mapping[wireName] = reference;
        }

        if (others is { Count: > 0 })
        {
            var variant = Variant(template, "An event of the ledger's own streams; its `data` is described in docs/FORMAT.md.",
                LifecycleSchemas.Enumeration("The event type.", others));
            variant.Properties!["data"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The event's data (docs/FORMAT.md)." };
            _schemas[OtherEntry] = variant;
            var reference = new OpenApiSchemaReference(OtherEntry, _document);
            oneOf.Add(reference);
            foreach (var wireName in others)
            {
                mapping[wireName] = reference;
            }
        }

        _schemas[name] = new OpenApiSchema
        {
            Description = description,
            OneOf = oneOf,
            Discriminator = new OpenApiDiscriminator { PropertyName = "type", Mapping = mapping },
        };
    }

    private static OpenApiSchema Variant(OpenApiSchema template, string description, OpenApiSchema type) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Required = new HashSet<string>(template.Required ?? new HashSet<string>(), StringComparer.Ordinal),
        Properties = new Dictionary<string, IOpenApiSchema>(template.Properties!, StringComparer.Ordinal) { ["type"] = type },
    };

    // An object schema from a record's primary constructor.
    private OpenApiSchema Record(Type type, string? description = null)
    {
        var constructor = type.GetConstructors().MaxBy(c => c.GetParameters().Length)
            ?? throw new InvalidOperationException($"{type.Name} has no public constructor.");
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = description,
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
            Required = new HashSet<string>(StringComparer.Ordinal),
            AdditionalPropertiesAllowed = false,
        };
        foreach (var parameter in constructor.GetParameters())
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(parameter.Name!);
            var optional = parameter.HasDefaultValue;
            var nullable = !optional && (Nullable.GetUnderlyingType(parameter.ParameterType) is not null
                || _nullability.Create(parameter).WriteState == NullabilityState.Nullable);
            schema.Properties[name] = For(parameter.ParameterType, nullable);
            if (!optional)
            {
                schema.Required.Add(name);
            }
        }

        return schema;
    }

    private IOpenApiSchema For(Type type, bool nullable)
    {
        var schema = Core(Nullable.GetUnderlyingType(type) ?? type);
        if (!nullable)
        {
            return schema;
        }

        if (schema is OpenApiSchema { Type: { } t } inline)
        {
            inline.Type = t | JsonSchemaType.Null;
            return inline;
        }

        return new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, schema] };
    }

    private IOpenApiSchema Core(Type type)
    {
        if (type == typeof(string) || type == typeof(ExecutionId))
        {
            return new OpenApiSchema { Type = JsonSchemaType.String };
        }

        if (type == typeof(long) || type == typeof(int))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Integer, Format = type == typeof(long) ? "int64" : "int32" };
        }

        if (type == typeof(bool))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Boolean };
        }

        if (type == typeof(DateTimeOffset))
        {
            return new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" };
        }

        if (type == typeof(ExecutionStatus))
        {
            return new OpenApiSchemaReference(LifecycleSchemas.Status, _document);
        }

        if (type == typeof(ExecutionPhase))
        {
            return new OpenApiSchemaReference(LifecycleSchemas.Phase, _document);
        }

        if (type == typeof(Reason))
        {
            return new OpenApiSchemaReference(LifecycleSchemas.ReasonCode, _document);
        }

        if (type.IsEnum)
        {
            // The verdicts and outcomes: the wire name is the member's name in lower case (docs/FORMAT.md §6).
            return LifecycleSchemas.Enumeration(type.Name, Enum.GetNames(type).Select(n => n.ToLowerInvariant()));
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Array, Items = Core(type.GetGenericArguments()[0]) };
        }

        // The nested records of execution events (and the peer publication a governance attestation records).
        if (type.IsClass && type.IsSealed && (type.Namespace == typeof(IExecutionEvent).Namespace || type == typeof(Publication)))
        {
            if (!_schemas.ContainsKey(type.Name))
            {
                _schemas[type.Name] = Record(type);
            }

            return new OpenApiSchemaReference(type.Name, _document);
        }

        throw new InvalidOperationException($"No OpenAPI schema for {type.FullName} in an event's data.");
    }
}
