using System.Security.Claims;
using System.Text.Json;
using FluentValidation;
using Ledger.Api.Auth;
using Ledger.Api.Hosting;
using Ledger.Api.Problems;
using Ledger.Application.Hosting;
using Ledger.Application.Executions;
using Ledger.Domain.Canonical;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Domain.Publications;
using Ledger.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ledger.Api.Append;

/// <summary><c>POST</c> and <c>GET /v1/streams/{stream}/events</c>.</summary>
public static class AppendEndpoints
{
    private static readonly JsonSerializerOptions BodyOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        AllowDuplicateProperties = false,
    };

    public static IEndpointRouteBuilder MapAppendEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/streams").WithTags("Streams");
        group.MapPost("/{stream}/events", AppendAsync)
            .RequireAuthorization()
            .WithName("AppendEvents")
            .WithSummary("Append events to an execution stream, or publish a domain's policy to $governance")
            .WithDescription("Authenticates, authorizes per domain, validates, verifies signatures, decides with the lifecycle rules and appends. A rule violation appends the ledger's denial or halt and answers 422. To $governance (an emitter's or an administrator's token): governance.policy-published.v1 for a domain this ledger is home for (otherwise 403 not-home-domain).")
            .Accepts<AppendBody>("application/json")
            .Produces<AppendResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{stream}/events", ReadAsync)
            .WithName("ReadStream")
            .WithSummary("Read a stream's entries forward or backward")
            .Produces<StreamResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<IResult> AppendAsync(
        string stream, HttpRequest request, ClaimsPrincipal user, ExecutionCommands service, Application.Publications.GovernanceCommands governance,
        IValidator<AppendBody> validator, LedgerOptions options, CancellationToken ct)
    {
        var role = user.FindFirstValue(BearerAuthenticationHandler.RoleClaim);
        var publishing = string.Equals(stream, GovernanceBook.StreamName, StringComparison.Ordinal);
        var executionId = default(ExecutionId);
        if (!publishing && !ExecutionId.TryFromStreamName(stream, out executionId))
        {
            return LedgerProblems.InvalidStream($"'{Printable(stream)}' is not an execution stream; use 'execution-<id>' with an id of 1 to 128 characters of [A-Za-z0-9._:-], or {GovernanceBook.StreamName} for a policy publication.");
        }

        if (publishing && role is not (Domain.Access.TokenEntry.EmitterRole or Domain.Access.TokenEntry.AdminRole))
        {
            return LedgerProblems.Forbidden($"Only an emitter's or an administrator's token may publish to {GovernanceBook.StreamName}.");
        }

        if (!publishing && role != Domain.Access.TokenEntry.EmitterRole)
        {
            return LedgerProblems.Forbidden("Only an emitter's token may append events.");
        }

        if (!IsUtf8Json(request.ContentType))
        {
            return LedgerProblems.UnsupportedMediaType(request.ContentType);
        }

        var limit = options.Limits.MaxBodyBytes;
        if (request.ContentLength > limit)
        {
            return LedgerProblems.BodyTooLarge(limit);
        }

        var body = await ReadBodyAsync(request, limit, ct).ConfigureAwait(false);
        if (body is null)
        {
            return LedgerProblems.BodyTooLarge(limit);
        }

        try
        {
            // Strict first: invalid UTF-8, lone surrogates, duplicate keys and non-finite numbers are refused here.
            JsonCanonicalizer.Canonicalize(body);
        }
        catch (CanonicalJsonException e)
        {
            return LedgerProblems.MalformedJson(e.Message);
        }

        AppendBody? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<AppendBody>(body, BodyOptions);
        }
        catch (JsonException e)
        {
            return LedgerProblems.MalformedJson($"{e.Path}: {e.Message}");
        }

        if (parsed is null)
        {
            return LedgerProblems.MalformedJson("The body is null.");
        }

        var validation = await validator.ValidateAsync(parsed, ct).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return LedgerProblems.Invalid(validation.ToDictionary());
        }

        var submitted = new SubmittedAppend(
            parsed.ExpectedVersion,
            [.. parsed.Events.Select(e => new SubmittedEvent(
                e.EventId, e.Type, e.Domain, e.OccurredAt, e.Data,
                e.Metadata is { ValueKind: JsonValueKind.Object } m ? m : null,
                e.Signature is { } s ? new EmitterSignature(s.Alg, s.KeyId, s.Value) : null))]);
        var outcome = publishing
            ? await governance.PublishAsync(user.Identity!.Name!, role == Domain.Access.TokenEntry.AdminRole, submitted, ct).ConfigureAwait(false)
            : await service.AppendAsync(user.Identity!.Name!, executionId, submitted, ct).ConfigureAwait(false);
        return ToResult(stream, outcome);
    }

    public static async Task<IResult> ReadAsync(
        string stream, LedgerNode node, long? from, string? direction, int? limit, LedgerOptions options, CancellationToken ct)
    {
        var problem = StreamName.Problem(stream);
        if (problem is not null)
        {
            return LedgerProblems.InvalidStream(problem);
        }

        var backward = direction switch
        {
            null or "forward" => false,
            "backward" => true,
            _ => (bool?)null,
        };
        if (backward is null)
        {
            return LedgerProblems.OutOfRange($"direction must be 'forward' or 'backward', not '{Printable(direction!)}'.");
        }

        var max = limit ?? 100;
        if (max < 1 || max > options.Limits.MaxEntriesPerRead)
        {
            return LedgerProblems.OutOfRange($"limit must be between 1 and {options.Limits.MaxEntriesPerRead}, not {max}.");
        }

        var version = await node.Store.GetStreamVersionAsync(stream, ct).ConfigureAwait(false);
        if (version == 0)
        {
            return LedgerProblems.NotFound($"Stream '{stream}' has no events.");
        }

        var start = from ?? (backward.Value ? version : 1);
        if (start < 1)
        {
            return LedgerProblems.OutOfRange($"from must be at least 1, not {start}.");
        }

        var entries = await node.Store.ReadStreamAsync(stream, start, backward.Value ? ReadDirection.Backward : ReadDirection.Forward, max, ct)
            .ConfigureAwait(false);
        return TypedResults.Ok(new StreamResponse(stream, version, [.. entries.Select(EntryView.From)]));
    }

    private static IResult ToResult(string stream, AppendOutcome outcome) => outcome switch
    {
        AppendOutcome.Created c => TypedResults.Json(AppendResponse.From(stream, c.Entries, c.Replayed), statusCode: StatusCodes.Status201Created),
        AppendOutcome.Refused r => LedgerProblems.Problem(
            StatusCodes.Status422UnprocessableEntity,
            "lifecycle-violation",
            "A lifecycle rule was broken; the ledger failed closed",
            r.Detail,
            new Dictionary<string, object?>
            {
                ["reason"] = r.Reason.Code,
                ["rejected"] = new { eventId = r.Rejected.EventId, type = r.Rejected.Type, digest = r.Rejected.Digest },
                ["position"] = r.LedgerEntries[0].Position,
                ["positions"] = r.LedgerEntries.Select(e => e.Position).ToArray(),
                ["appended"] = r.Appended.Select(e => e.Position).ToArray(),
            }),
        AppendOutcome.Invalid i => LedgerProblems.Invalid(i.Errors),
        AppendOutcome.BadSignature b => LedgerProblems.BadSignature(b.Detail),
        AppendOutcome.SignatureRequired s => LedgerProblems.SignatureRequired(s.Emitter),
        AppendOutcome.Forbidden f => LedgerProblems.Forbidden(f.Detail),
        AppendOutcome.VersionConflict v => LedgerProblems.VersionConflict(v.Expected, v.Actual),
        AppendOutcome.EventIdConflict e => LedgerProblems.EventIdConflict(e.EventId),
        AppendOutcome.Terminal t => LedgerProblems.ExecutionTerminal(t.ExecutionId, t.Status),
        AppendOutcome.EntryTooLarge t => LedgerProblems.EntryTooLarge(t.EventId, t.Size, t.AtLeast, LedgerEntry.MaxCanonicalBytes),
        AppendOutcome.NotHome n => LedgerProblems.NotHomeDomain(n.Domain, n.Detail),
        AppendOutcome.Conflict { Code: "execution-exists" } c => LedgerProblems.ExecutionExists(c.Detail),
        AppendOutcome.Conflict c => LedgerProblems.ExecutionConflict(c.Code, c.Detail),
        _ => throw new InvalidOperationException("Unknown append outcome."),
    };

    // Null when the body is over the limit. Kestrel stops a body without Content-Length at its own limit (the
    // ledger's limit + 1) by throwing; the ledger's own check stops it first otherwise.
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }

    // application/json and nothing else (no +json suffix types, no other media type that merely starts alike);
    // a charset, when given, must be UTF-8, since the body is read as UTF-8 (RFC 8259 §8.1).
    private static bool IsUtf8Json(string? contentType) =>
        System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase)
        && (media.CharSet is null || media.CharSet.Trim('"') is var charset
            && (charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)));

    internal static string Printable(string text) =>
        string.Concat(text.Take(200).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
