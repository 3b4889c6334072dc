using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Problems;

/// <summary>
/// Every error the API answers, as RFC 9457 problem details with a stable <c>type</c>. This is the one
/// place that maps rejections to HTTP; docs/API.md lists the same catalogue.
/// </summary>
public static class LedgerProblems
{
    public const string TypeBase = "https://ledger.dev/problems/";

    public static IResult MalformedJson(string detail) => Problem(400, "malformed-json", "The body is not valid JSON for the ledger", detail);

    public static IResult UnsupportedMediaType(string? contentType) =>
        Problem(415, "unsupported-media-type", "The body must be application/json", $"Content-Type was '{contentType ?? "(none)"}'.");

    public static IResult BodyTooLarge(long limit) =>
        Problem(413, "body-too-large", "The body is larger than the limit", $"The limit is {limit} bytes.");

    public static IResult EntryTooLarge(string eventId, int size, bool atLeast, int limit) =>
        Problem(
            400,
            "entry-too-large",
            "An event's ledger entry would be larger than the limit",
            string.Create(
                CultureInfo.InvariantCulture,
                $"The entry of event '{eventId}' would have {(atLeast ? "more than " : "")}{size} canonical bytes; an entry has at most {limit} (a tlog-tiles entry bundle's uint16 length). Nothing was appended; put large payloads elsewhere and log their digest."),
            new Dictionary<string, object?> { ["eventId"] = eventId, ["size"] = size, ["limit"] = limit });

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is invalid", type: TypeBase + "validation-failed");

    public static IResult InvalidStream(string detail) => Problem(400, "invalid-stream", "The stream name is not valid", detail);

    public static IResult BadSignature(string detail) => Problem(400, "bad-signature", "An emitter signature does not verify", detail);

    public static IResult SignatureRequired(string emitter) =>
        Problem(400, "signature-required", "This emitter must sign its events", $"Emitter '{emitter}' is registered with signatures required.");

    public static IResult Unauthenticated(string detail) => Problem(401, "unauthenticated", "A valid bearer token is required", detail);

    public static IResult Forbidden(string detail) => Problem(403, "forbidden", "Not allowed for this caller", detail);

    public static IResult NotHomeDomain(string domain, string detail) =>
        Problem(403, "not-home-domain", "This ledger is not home for the domain", detail, new Dictionary<string, object?> { ["domain"] = domain });

    public static IResult NotFound(string detail) => Problem(404, "not-found", "Not found", detail);

    public static IResult VersionConflict(long expected, long actual) =>
        Problem(409, "version-conflict", "The stream is not at the expected version",
            $"Expected version {expected}, the stream is at {actual}.",
            new Dictionary<string, object?> { ["expectedVersion"] = expected, ["actualVersion"] = actual });

    public static IResult EventIdConflict(string eventId) =>
        Problem(409, "event-id-conflict", "The event id was already used for other content",
            $"Event id '{eventId}' is already in the log with different content.", new Dictionary<string, object?> { ["eventId"] = eventId });

    public static IResult ExecutionTerminal(string executionId, string status) =>
        Problem(409, "execution-terminal", "The execution is already terminal",
            $"Execution '{executionId}' is {status}; nothing may follow.",
            new Dictionary<string, object?> { ["executionId"] = executionId, ["executionStatus"] = status });

    public static IResult ExecutionExists(string detail) =>
        Problem(409, "execution-exists", "The execution was already declared", detail);

    /// <summary>Any other conflict the lifecycle rules report; <c>code</c> is the rule's own code.</summary>
    public static IResult ExecutionConflict(string code, string detail) =>
        Problem(409, "execution-conflict", "The submission conflicts with the execution's state", detail, new Dictionary<string, object?> { ["code"] = code });

    public static IResult OutOfRange(string detail) => Problem(400, "out-of-range", "A parameter is out of range", detail);

    public static IResult InvalidTilePath(string detail) => Problem(400, "invalid-tile-path", "The tile path is not valid (c2sp.org/tlog-tiles)", detail);

    /// <summary>An entry longer than a bundle's uint16 length prefix can say (written before entries were limited to 65,535 bytes).</summary>
    public static IResult EntryTooLargeForBundle(string bundle, long position, int length) =>
        Problem(422, "entry-too-large-for-bundle", "An entry of this bundle is too large for a tlog-tiles entry bundle",
            $"Entry {position} of {bundle} is {length} bytes; a bundle carries entries of at most 65535 bytes. Read it with GET /v1/log/entries?start={position}&limit=1.",
            new Dictionary<string, object?> { ["position"] = position, ["entryBytes"] = length });

    /// <summary>
    /// The answer to a C2SP tlog-witness <c>add-checkpoint</c> request that the witness refuses: the status the
    /// specification prescribes (409 is not a problem: its body is the latest cosigned size as <c>text/x.tlog.size</c>).
    /// </summary>
    public static IResult WitnessRefusal(Application.Witnessing.WitnessOutcome outcome) => outcome switch
    {
        Application.Witnessing.WitnessOutcome.Malformed m => Problem(400, "witness-malformed-request", "The body is not an add-checkpoint request", m.Reason),
        Application.Witnessing.WitnessOutcome.UnknownLog u =>
            Problem(404, "witness-unknown-log", "This witness does not witness that log", $"No witnessed log has the origin '{u.Origin}'.",
                new Dictionary<string, object?> { ["origin"] = u.Origin }),
        Application.Witnessing.WitnessOutcome.NotSignedByLog n =>
            Problem(403, "witness-not-signed-by-log", "The checkpoint has no valid signature by the log's key", n.Reason,
                new Dictionary<string, object?> { ["origin"] = n.Origin }),
        Application.Witnessing.WitnessOutcome.Refused { Verdict: Domain.Witnessing.WitnessVerdict.OldSizeMismatch m } =>
            TypedResults.Text(m.LatestSize.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n", "text/x.tlog.size", null, 409),
        Application.Witnessing.WitnessOutcome.Refused { Verdict: Domain.Witnessing.WitnessVerdict.OldSizeAboveCheckpoint a } =>
            Problem(400, "witness-old-size-above-checkpoint", "The old size is above the checkpoint's size",
                $"The old size {a.OldSize} is above the checkpoint's size {a.Size}."),
        Application.Witnessing.WitnessOutcome.Refused r =>
            Problem(422, "witness-inconsistent", "The checkpoint is not consistent with the one the witness cosigned", WitnessDetail(r.Verdict),
                new Dictionary<string, object?> { ["code"] = r.Verdict.Code, ["splitView"] = r.SplitViewRecorded }),
        _ => throw new System.Diagnostics.UnreachableException($"{outcome.GetType().Name} is not a refusal."),
    };

    private static string WitnessDetail(Domain.Witnessing.WitnessVerdict verdict) => verdict switch
    {
        Domain.Witnessing.WitnessVerdict.BadEmptyTree e => $"A checkpoint of size 0 has the root of the empty tree, not {e.Root}.",
        Domain.Witnessing.WitnessVerdict.ProofFromEmptyTree p => $"From old size 0 the consistency proof is empty; it has {p.ProofLength} lines.",
        Domain.Witnessing.WitnessVerdict.InconsistentProof i => "The consistency proof does not verify: " + i.Failure,
        Domain.Witnessing.WitnessVerdict.RootMismatch m => $"The witness cosigned size {m.Size} with root {m.HeldRoot}; this checkpoint states {m.Root}.",
        _ => verdict.Code,
    };

    public static IResult Unavailable(string detail) => Problem(503, "unavailable", "Not available yet", detail);

    /// <summary>
    /// Gives the problems the framework writes on its own (no such route, a method the route does not have, a media
    /// type refused by routing, a body that does not bind, an unhandled error) a type from the same catalogue.
    /// </summary>
    public static void CustomizeFrameworkProblem(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type is not null && problem.Type.StartsWith(TypeBase, StringComparison.Ordinal))
        {
            return;
        }

        (string Slug, string Title)? mapped = problem.Status switch
        {
            400 => ("bad-request", "The request could not be read"),
            404 => ("not-found", "Not found"),
            405 => ("method-not-allowed", "The method is not allowed on this path"),
            413 => ("body-too-large", "The body is larger than the limit"),
            415 => ("unsupported-media-type", "The body must be application/json"),
            500 => ("internal-error", "The ledger could not answer"),
            _ => null,
        };
        if (mapped is { } m)
        {
            problem.Type = TypeBase + m.Slug;
            problem.Title = m.Title;
        }

        // A body that does not bind: say why (a syntax error, a mistyped or duplicated member, with its JSON path).
        if (problem.Status == 400 && context.Exception is BadHttpRequestException { InnerException: JsonException json })
        {
            problem.Detail = "The body is not the expected JSON: " + json.Message;
        }
    }

    public static IResult Problem(int status, string slug, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Type = TypeBase + slug,
            Title = title,
            Detail = detail,
            Extensions = extensions ?? new Dictionary<string, object?>(),
        });
}
