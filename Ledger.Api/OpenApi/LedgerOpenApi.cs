using System.Text.Json.Nodes;
using Ledger.Api.Auth;
using Ledger.Domain.Executions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Ledger.Api.OpenApi;

/// <summary>
/// The OpenAPI document (<c>GET /openapi/v1.json</c>) and the API reference page that renders it (<c>GET /docs</c>,
/// served with its assets from the ledger itself): docs/API.md, "The OpenAPI document".
/// </summary>
public static class LedgerOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/docs";
    public const string LicenseName = "Apache-2.0";

    // Every tag an operation has, described; a tag missing here fails the document (and the tests).
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Streams"] = "Append governance events to an execution's stream, and read a stream. Appends need an emitter's token.",
        ["Executions"] = "Whether an execution may act now, the read models of executions and their lineage, and attestations for peers.",
        ["Log"] = "The Merkle log: signed checkpoints, entries, inclusion and consistency proofs, receipts and the log's key. Public.",
        ["Tlog"] = "The log as C2SP tlog-tiles (checkpoint, Merkle tiles, entry bundles): read-only and cacheable. Public.",
        ["Witness"] = "C2SP tlog-witness: cosigning the checkpoints of the logs this ledger witnesses. Public.",
        ["Federation"] = "Following peers: a peer's notice that something changed, which makes the follow job pull and verify attestations now. Public; nothing sent is trusted.",
        ["Export"] = "Verification bundles for the offline verifier (ledger-verify). Public.",
        ["Compliance"] = "Per-domain compliance views: denied and halted executions with reasons, running and overdue ones.",
        ["Projections"] = "The read models' state and lag, and their rebuild.",
        ["Admin"] = "The emitter and token registries, the ledger parameters and checkpoint signing. Admin token only.",
        ["Health"] = "Liveness, readiness and metrics. Public.",
    };

    public static IServiceCollection AddLedgerOpenApi(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddOpenApi(o =>
        {
            o.AddBearerSecurity();
            o.AddDocumentTransformer((document, context, _) =>
            {
                Describe(document, context.ApplicationServices.GetRequiredService<IHttpContextAccessor>().HttpContext?.Request);
                LifecycleSchemas.Apply(document);
                EventSchemas.Apply(document);
                ProblemSchemas.Apply(document);
                AddExamples(document);
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static IEndpointRouteBuilder MapLedgerOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        // The reference page loads its script from the ledger (Scalar.AspNetCore ships it) and no fonts from elsewhere.
        app.MapScalarApiReference(ReferencePath, o => o
            .WithTitle("Governed Execution Ledger API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideClientButton());
        return app;
    }

    private static void Describe(OpenApiDocument document, HttpRequest? request)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Governed Execution Ledger",
            Version = "v1",
            Description =
                "An append-only, signed and provable log of governed executions across clouds. Emitters append the lifecycle of each " +
                "execution (intent, governance sync, authorization, runtime trust, start, verifications, end); the ledger enforces " +
                "the lifecycle and fails closed, commits every event to an RFC 6962 Merkle tree under signed C2SP checkpoints, and " +
                "serves proofs that anyone can check offline. Errors are RFC 9457 problem details. docs/API.md describes every route.",
            License = new OpenApiLicense { Name = LicenseName, Url = new Uri("https://www.apache.org/licenses/LICENSE-2.0") },
        };

        // The server is where this document was fetched from, behind whatever name the client used.
        document.Servers = request is null
            ? []
            : [new OpenApiServer { Url = $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}", Description = "This ledger" }];

        var used = document.Paths.Values.SelectMany(p => p.Operations!.Values).SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(t => t.Name!).ToHashSet(StringComparer.Ordinal);
        var missing = used.Where(t => !TagDescriptions.ContainsKey(t)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException("OpenAPI tags without a description: " + string.Join(", ", missing));
        }

        document.Tags = new HashSet<OpenApiTag>(
            TagDescriptions.Where(t => used.Contains(t.Key)).Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
    }

    private static void AddExamples(OpenApiDocument document)
    {
        var intent = EventExamples.ByType[typeof(IntentDeclared)];
        var body = new JsonObject
        {
            ["expectedVersion"] = 0,
            ["events"] = new JsonArray(new JsonObject
            {
                ["eventId"] = "evt-intent-0042",
                ["type"] = ExecutionEventCodec.TypeOf(intent),
                ["domain"] = "aws-eu",
                ["occurredAt"] = "2026-03-14T09:29:58.120000Z",
                ["data"] = JsonNode.Parse(ExecutionEventCodec.ToData(intent).GetRawText()),
            }),
        };
        var append = Operation(document, "AppendEvents");
        append.RequestBody!.Content!["application/json"].Example = body;
        Content(append, "201", "application/json").Example = new JsonObject
        {
            ["stream"] = "execution-" + EventExamples.ExecutionId,
            ["streamVersion"] = 1,
            ["replayed"] = false,
            ["positions"] = new JsonArray(17),
            ["entries"] = new JsonArray(new JsonObject
            {
                ["eventId"] = "evt-intent-0042",
                ["position"] = 17,
                ["streamVersion"] = 1,
                ["leafHash"] = "0p0uL0/uEKEPEgzw0q1T6lN1Pz7hx1lSy4EGv8oWx4E=",
            }),
        };
        Content(append, "422", "application/problem+json").Example = ProblemSchemas.Example(
            "lifecycle-violation", "A lifecycle rule was broken; the ledger failed closed",
            422, "grantedScope 'payments:admin' is not in requestedScope",
            new JsonObject
            {
                ["reason"] = Reason.AuthorizationScopeExceeded.Code,
                ["rejected"] = new JsonObject
                {
                    ["eventId"] = "evt-authz-5521",
                    ["type"] = "execution.authorization-issued.v1",
                    ["digest"] = "sha256:4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce",
                },
                ["position"] = 20,
                ["positions"] = new JsonArray(20),
                ["appended"] = new JsonArray(),
            });
        Content(Operation(document, "GetExecutionDecision"), "200", "application/json").Example = new JsonObject
        {
            ["allowed"] = true,
            ["status"] = ExecutionStatus.Running.ToWireName(),
            ["phase"] = ExecutionPhase.Verification.ToWireName(),
            ["reason"] = null,
            ["validUntil"] = "2026-03-14T09:45:00.000000Z",
        };
    }

    private static OpenApiOperation Operation(OpenApiDocument document, string operationId) =>
        document.Paths.Values.SelectMany(p => p.Operations!.Values).SingleOrDefault(o => o.OperationId == operationId)
        ?? throw new InvalidOperationException($"The OpenAPI document has no operation '{operationId}'.");

    private static OpenApiMediaType Content(OpenApiOperation operation, string status, string mediaType) =>
        operation.Responses!.TryGetValue(status, out var response) && response.Content!.TryGetValue(mediaType, out var media)
            ? media
            : throw new InvalidOperationException($"{operation.OperationId} has no {status} {mediaType} answer.");
}
