using System.Text.Json.Nodes;
using Ledger.Api.Problems;
using Microsoft.OpenApi;

namespace Ledger.Api.OpenApi;

/// <summary>
/// The problem details of the OpenAPI document: RFC 9457's members (<c>ProblemDetails</c>), and one schema per problem
/// type that carries extension members (as <see cref="LedgerProblems"/> writes them), named on the answers that may
/// carry them.
/// </summary>
internal static class ProblemSchemas
{
    public const string Base = "ProblemDetails";

    private static readonly JsonSchemaType Int64 = JsonSchemaType.Integer;

    /// <summary>The problem types with extension members: schema name, slug, members (name, schema, description).</summary>
    public static IReadOnlyList<(string Name, string Slug, (string Member, Func<OpenApiDocument, IOpenApiSchema> Schema, string Description)[] Members)> Types { get; } =
    [
        ("ValidationProblem", "validation-failed",
        [
            ("errors", _ => new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            }, "Per member (a JSON path such as `events[0].data`), what is wrong with it."),
        ]),
        ("EntryTooLargeProblem", "entry-too-large",
        [
            ("eventId", _ => Text(), "The event whose entry is too large."),
            ("size", _ => Integer(), "Its entry's canonical bytes (or a lower bound)."),
            ("limit", _ => Integer(), "The most an entry may have (65535)."),
        ]),
        ("VersionConflictProblem", "version-conflict",
        [
            ("expectedVersion", _ => Integer(), "The version the append expected."),
            ("actualVersion", _ => Integer(), "The stream's version."),
        ]),
        ("EventIdConflictProblem", "event-id-conflict", [("eventId", _ => Text(), "The event id already used for other content.")]),
        ("ExecutionTerminalProblem", "execution-terminal",
        [
            ("executionId", _ => Text(), "The execution."),
            ("executionStatus", d => new OpenApiSchemaReference(LifecycleSchemas.Status, d), "Its terminal status."),
        ]),
        ("ExecutionConflictProblem", "execution-conflict", [("code", _ => Text(), "The lifecycle rule's own code for the conflict.")]),
        ("NotHomeDomainProblem", "not-home-domain", [("domain", _ => Text(), "The domain a policy was published for, which this ledger is not home for.")]),
        ("LifecycleViolationProblem", "lifecycle-violation",
        [
            ("reason", d => new OpenApiSchemaReference(LifecycleSchemas.ReasonCode, d), "Why the ledger denied or halted the execution."),
            ("rejected", d => new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string>(["eventId", "type", "digest"], StringComparer.Ordinal),
                Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                {
                    ["eventId"] = Text(),
                    ["type"] = new OpenApiSchemaReference(LifecycleSchemas.EventType, d),
                    ["digest"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "`sha256:<hex>` of the refused event's canonical emitter statement." },
                },
            }, "The refused submission."),
            ("position", _ => Integer(), "The position of the ledger's denial or halt of this execution."),
            ("positions", _ => Integers(), "The positions of every event the ledger appended for the refusal (the denial or halt, and the ends of descendants)."),
            ("appended", _ => Integers(), "The positions of the submission's events appended before the refused one."),
        ]),
        ("EntryTooLargeForBundleProblem", "entry-too-large-for-bundle",
        [
            ("position", _ => Integer(), "The entry too large for a bundle."),
            ("entryBytes", _ => Integer(), "Its length in bytes."),
        ]),
        ("WitnessUnknownLogProblem", "witness-unknown-log", [("origin", _ => Text(), "The checkpoint's origin.")]),
        ("WitnessNotSignedByLogProblem", "witness-not-signed-by-log", [("origin", _ => Text(), "The checkpoint's origin.")]),
        ("WitnessInconsistentProblem", "witness-inconsistent",
        [
            ("code", _ => Text(), "What was inconsistent (the witness verdict's code)."),
            ("splitView", _ => new OpenApiSchema { Type = JsonSchemaType.Boolean }, "Whether the witness recorded a split view of the log."),
        ]),
    ];

    // (operationId, status) → the problem types with extensions it may answer; any other problem is ProblemDetails.
    private static readonly (string Operation, string Status, string[] Problems)[] Answers =
    [
        ("AppendEvents", "400", ["ValidationProblem", "EntryTooLargeProblem"]),
        ("AppendEvents", "409", ["VersionConflictProblem", "EventIdConflictProblem", "ExecutionTerminalProblem", "ExecutionConflictProblem"]),
        ("AppendEvents", "403", ["NotHomeDomainProblem"]),
        ("AppendEvents", "422", ["LifecycleViolationProblem"]),
        ("ListExecutions", "400", ["ValidationProblem"]),
        ("RegisterEmitter", "400", ["ValidationProblem"]),
        ("MintToken", "400", ["ValidationProblem"]),
        ("ConfigureParameters", "400", ["ValidationProblem"]),
        ("GetTlogEntryBundle", "422", ["EntryTooLargeForBundleProblem"]),
        ("AddCheckpoint", "403", ["WitnessNotSignedByLogProblem"]),
        ("AddCheckpoint", "404", ["WitnessUnknownLogProblem"]),
        ("AddCheckpoint", "422", ["WitnessInconsistentProblem"]),
    ];

    public static void Apply(OpenApiDocument document)
    {
        var schemas = document.Components!.Schemas!;
        schemas.Remove("HttpValidationProblemDetails");
        schemas[Base] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem. `type` is stable per error (docs/API.md, \"Problem types\"); some types add members (the *Problem schemas).",
            Required = new HashSet<string>(["type", "title", "status"], StringComparer.Ordinal),
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", Description = "The problem type, " + LedgerProblems.TypeBase + "<slug>." },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The problem type's title." },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What exactly was wrong, naming the offending value." },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace, for the ledger's logs." },
            },
            Examples = [Example("not-found", "Not found", 404, "Stream 'execution-exec-2026-0042' has no events.")],
        };

        foreach (var (name, slug, members) in Types)
        {
            schemas[name] = new OpenApiSchema
            {
                Description = $"The problem `{LedgerProblems.TypeBase}{slug}`.",
                AllOf =
                [
                    new OpenApiSchemaReference(Base, document),
                    new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string>(members.Select(m => m.Member).Prepend("type"), StringComparer.Ordinal),
                        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                        {
                            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = LedgerProblems.TypeBase + slug, Enum = [JsonValue.Create(LedgerProblems.TypeBase + slug)] },
                        }.Concat(members.Select(m => KeyValuePair.Create(m.Member, Described(m.Schema(document), m.Description)))).ToDictionary(StringComparer.Ordinal),
                    },
                ],
            };
        }

        foreach (var (operationId, status, problems) in Answers)
        {
            var operation = document.Paths.Values.SelectMany(p => p.Operations!.Values).SingleOrDefault(o => o.OperationId == operationId)
                ?? throw new InvalidOperationException($"The OpenAPI document has no operation '{operationId}'.");
            var content = operation.Responses!.TryGetValue(status, out var response) && response.Content!.TryGetValue("application/problem+json", out var media)
                ? media
                : throw new InvalidOperationException($"{operationId} does not answer {status} with a problem.");
            var references = problems.Select(p => (IOpenApiSchema)new OpenApiSchemaReference(p, document)).ToList();
            // The problems with members, or any other (a body that does not bind, a bad signature, ...).
            content.Schema = new OpenApiSchema { AnyOf = [.. references, new OpenApiSchemaReference(Base, document)] };
        }
    }

    public static JsonObject Example(string slug, string title, int status, string detail, JsonObject? extensions = null)
    {
        var example = new JsonObject
        {
            ["type"] = LedgerProblems.TypeBase + slug,
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        };
        foreach (var (name, value) in extensions ?? [])
        {
            example[name] = value?.DeepClone();
        }

        return example;
    }

    private static IOpenApiSchema Described(IOpenApiSchema schema, string description)
    {
        switch (schema)
        {
            case OpenApiSchema inline:
                inline.Description = description;
                return inline;
            case OpenApiSchemaReference reference:
                reference.Description = description;
                return reference;
            default:
                return schema;
        }
    }

    private static OpenApiSchema Text() => new() { Type = JsonSchemaType.String };

    private static OpenApiSchema Integer() => new() { Type = Int64, Format = "int64" };

    private static OpenApiSchema Integers() => new() { Type = JsonSchemaType.Array, Items = Integer() };
}
