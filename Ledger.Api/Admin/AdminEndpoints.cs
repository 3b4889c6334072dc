using System.Globalization;
using Ledger.Api.Append;
using Ledger.Api.Auth;
using Ledger.Api.Hosting;
using Ledger.Api.Problems;
using Ledger.Application.Executions;
using Ledger.Application.Hosting;
using Ledger.Application.Jobs;
using Ledger.Application.Registry;
using Ledger.Domain.Access;
using Ledger.Domain.Crypto;
using Ledger.Domain.Emitters;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;
using Ledger.Store;

namespace Ledger.Api.Admin;

/// <summary>Admin operations: emitters, tokens, ledger parameters and checkpoints on demand. All need an admin token.</summary>
public static class AdminEndpoints
{
    public const string AdminPolicy = "admin";

    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin").WithTags("Admin").RequireAuthorization(AdminPolicy);
        Secured(group.MapGet("/emitters", ListEmittersAsync).WithName("ListEmitters").WithSummary("The emitter registry")
            .Produces<IReadOnlyList<EmitterEntry>>());
        Secured(group.MapPost("/emitters", RegisterEmitterAsync).WithName("RegisterEmitter")
            .WithSummary("Register (or re-register) an emitter with its domains and public key")
            .Produces<AppendedPosition>(201).ProducesProblem(400).ProducesProblem(409).ProducesProblem(415));
        Secured(group.MapDelete("/emitters/{name}", RevokeEmitterAsync).WithName("RevokeEmitter").WithSummary("Revoke an emitter: its tokens stop working")
            .Produces<AppendedPosition>(200).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409));
        Secured(group.MapPost("/tokens", MintTokenAsync).WithName("MintToken").WithSummary("Mint a bearer token for an emitter or an admin; the token is shown once")
            .Produces<MintedToken>(201).ProducesProblem(400).ProducesProblem(404).ProducesProblem(415));
        Secured(group.MapDelete("/tokens/{tokenId}", RevokeTokenAsync).WithName("RevokeToken").WithSummary("Revoke a bearer token")
            .Produces<AppendedPosition>(200).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409));
        Secured(group.MapPut("/parameters", ConfigureAsync).WithName("ConfigureParameters").WithSummary("Set the ledger parameters (ledger.policy-configured.v1)")
            .Produces<AppendedPosition>(200).ProducesProblem(400).ProducesProblem(415));
        Secured(group.MapPost("/checkpoint", CheckpointAsync).WithName("SignCheckpoint").WithSummary("Sign a checkpoint of the current tree now")
            .Produces<string>(200, "text/plain").ProducesProblem(503));
        return app;
    }

    private static RouteHandlerBuilder Secured(RouteHandlerBuilder endpoint) => endpoint.ProducesProblem(401).ProducesProblem(403);

    public static async Task<IResult> ListEmittersAsync(LedgerRegistry registry, CancellationToken ct) =>
        TypedResults.Ok((await registry.GetAsync(ct).ConfigureAwait(false)).Emitters.Emitters.ToList());

    public static async Task<IResult> RegisterEmitterAsync(RegisterEmitterRequest body, LedgerRegistry registry, LedgerWriter writer, CancellationToken ct)
    {
        if (OverLimits(body) is { } limits)
        {
            return LedgerProblems.Invalid(limits);
        }

        if (body.PublicKey is not null && !VerificationKey.TryParse(body.PublicKey, out _, out var keyError))
        {
            return LedgerProblems.Invalid(new Dictionary<string, string[]> { ["publicKey"] = [keyError] });
        }

        var @event = new EmitterRegistered(body.Name ?? "", body.Domains ?? [], body.PublicKey, body.SignaturesRequired);
        return await AppendRegistryAsync(EmitterRegistry.StreamName, WireNames.Of<EmitterRegistered>(), @event, registry, writer, StatusCodes.Status201Created, ct).ConfigureAwait(false);
    }

    public static async Task<IResult> RevokeEmitterAsync(string name, string? reason, LedgerRegistry registry, LedgerWriter writer, CancellationToken ct)
    {
        if (ReasonOverLimit(reason) is { } tooLong)
        {
            return LedgerProblems.Invalid(tooLong);
        }

        var snapshot = await registry.GetAsync(ct).ConfigureAwait(false);
        if (snapshot.Emitters.Find(name) is null)
        {
            return LedgerProblems.NotFound($"There is no emitter '{AppendEndpoints.Printable(name)}'.");
        }

        var @event = new EmitterRevoked(name, string.IsNullOrWhiteSpace(reason) ? "revoked by an admin" : reason);
        return await AppendRegistryAsync(EmitterRegistry.StreamName, WireNames.Of<EmitterRevoked>(), @event, registry, writer, StatusCodes.Status200OK, ct)
            .ConfigureAwait(false);
    }

    public static async Task<IResult> MintTokenAsync(MintTokenRequest body, LedgerRegistry registry, LedgerWriter writer, CancellationToken ct)
    {
        var role = body.Role ?? TokenEntry.EmitterRole;
        if (role is not (TokenEntry.EmitterRole or TokenEntry.AdminRole or TokenEntry.ViewerRole))
        {
            return LedgerProblems.Invalid(new Dictionary<string, string[]> { ["role"] = ["must be 'emitter', 'admin' or 'viewer'"] });
        }

        if (string.IsNullOrWhiteSpace(body.Subject) || body.Subject.Length > AdminLimits.MaxNameLength)
        {
            return LedgerProblems.Invalid(new Dictionary<string, string[]>
            {
                ["subject"] = [string.Create(CultureInfo.InvariantCulture, $"must be the emitter's name, or a person's or team's name for an admin or viewer token (1 to {AdminLimits.MaxNameLength} characters), found {body.Subject?.Length ?? 0} characters")],
            });
        }

        var snapshot = await registry.GetAsync(ct).ConfigureAwait(false);
        if (role == TokenEntry.EmitterRole && !snapshot.Emitters.IsActive(body.Subject))
        {
            return LedgerProblems.NotFound($"There is no active emitter '{AppendEndpoints.Printable(body.Subject)}'.");
        }

        if (body.ExpiresAt is { } expires && expires <= writer.Now())
        {
            return LedgerProblems.Invalid(new Dictionary<string, string[]> { ["expiresAt"] = ["must be in the future"] });
        }

        var (token, minted) = await TokenMinting.MintAsync(body.Subject, role, body.ExpiresAt, writer, ct).ConfigureAwait(false);
        return TypedResults.Json(new MintedToken(minted.TokenId, minted.Subject, minted.Role, token, minted.ExpiresAt), statusCode: 201);
    }

    public static async Task<IResult> RevokeTokenAsync(string tokenId, string? reason, LedgerRegistry registry, LedgerWriter writer, CancellationToken ct)
    {
        if (ReasonOverLimit(reason) is { } tooLong)
        {
            return LedgerProblems.Invalid(tooLong);
        }

        var snapshot = await registry.GetAsync(ct).ConfigureAwait(false);
        if (snapshot.Tokens.Find(tokenId) is null)
        {
            return LedgerProblems.NotFound($"There is no token '{AppendEndpoints.Printable(tokenId)}'.");
        }

        var @event = new TokenRevoked(tokenId, string.IsNullOrWhiteSpace(reason) ? "revoked by an admin" : reason);
        return await AppendAccessAsync(@event, registry, writer, StatusCodes.Status200OK, ct).ConfigureAwait(false);
    }

    public static async Task<IResult> ConfigureAsync(ParametersRequest body, LedgerWriter writer, LedgerRegistry registry, CancellationToken ct)
    {
        // The Domain's grammar and bounds (FORMAT §6.1, §6.5): the same rules the event's codec writes by.
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        TimeSpan Read(string name, string? text)
        {
            if (LedgerParameters.TryParseSetting(name, text, out var value, out var error))
            {
                return value;
            }

            errors[name] = [error];
            return default;
        }

        var maxPolicyAge = Read("maxPolicyAge", body.MaxPolicyAge);
        var maxAuthorizationTtl = Read("maxAuthorizationTtl", body.MaxAuthorizationTtl);
        var maxVerificationInterval = Read("maxVerificationInterval", body.MaxVerificationInterval);
        var intentTtl = Read("intentTtl", body.IntentTtl);
        TimeSpan? maxPeerSilence = body.MaxPeerSilence is null ? null : Read("maxPeerSilence", body.MaxPeerSilence);
        if (errors.Count > 0)
        {
            return LedgerProblems.Invalid(errors);
        }

        var @event = new PolicyConfigured(maxPolicyAge, maxAuthorizationTtl, maxVerificationInterval, intentTtl) { MaxPeerSilence = maxPeerSilence };
        var result = await writer.AppendAsync(
            LedgerParameters.StreamName, AppendRequest.AnyVersion, "ledger-parameters-" + Guid.NewGuid().ToString("N"),
            LedgerParametersCodec.Type, "$ledger", LedgerParametersCodec.ToData(@event), writer.Now(), ct).ConfigureAwait(false);
        return Appended(result, StatusCodes.Status200OK);
    }

    public static async Task<IResult> CheckpointAsync(CheckpointJob checkpoints, CancellationToken ct)
    {
        var note = await checkpoints.SignAsync(force: true, ct).ConfigureAwait(false);
        return note is null ? LedgerProblems.Unavailable("The log is empty.") : TypedResults.Text(note, "text/plain; charset=utf-8");
    }

    private static async Task<IResult> AppendRegistryAsync(
        string stream, string type, IEmitterEvent @event, LedgerRegistry registry, LedgerWriter writer, int status, CancellationToken ct)
    {
        // ToData validates what it writes (it re-reads its own output), so one call both checks and builds the data.
        var data = SafeData(() => EmitterEventCodec.ToData(@event), out var dataError);
        if (dataError is not null)
        {
            return LedgerProblems.Invalid(new Dictionary<string, string[]> { ["body"] = [dataError] });
        }

        var snapshot = await registry.GetAsync(ct).ConfigureAwait(false);
        if (snapshot.Emitters.Check(@event) is { } problem)
        {
            return LedgerProblems.Problem(409, "registry-conflict", "The registry does not allow this change", problem);
        }

        var result = await writer.AppendAsync(
            stream, snapshot.EmittersVersion, "ledger-emitter-" + Guid.NewGuid().ToString("N"), type, "$emitters",
            data, writer.Now(), ct).ConfigureAwait(false);
        return Appended(result, status);
    }

    private static async Task<IResult> AppendAccessAsync(IAccessEvent @event, LedgerRegistry registry, LedgerWriter writer, int status, CancellationToken ct)
    {
        var snapshot = await registry.GetAsync(ct).ConfigureAwait(false);
        if (snapshot.Tokens.Check(@event) is { } problem)
        {
            return LedgerProblems.Problem(409, "registry-conflict", "The token registry does not allow this change", problem);
        }

        var result = await writer.AppendAsync(
            TokenRegistry.StreamName, snapshot.TokensVersion, "ledger-token-" + Guid.NewGuid().ToString("N"),
            WireNames.Of(@event.GetType()), "$tokens", AccessEventCodec.ToData(@event), writer.Now(), ct).ConfigureAwait(false);
        return Appended(result, status);
    }

    private static Dictionary<string, string[]>? OverLimits(RegisterEmitterRequest body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.Name is { Length: > AdminLimits.MaxNameLength } name)
        {
            errors["name"] = [Count($"must be 1 to {AdminLimits.MaxNameLength} characters, found {name.Length}")];
        }

        if (body.PublicKey is { Length: > AdminLimits.MaxPublicKeyLength } key)
        {
            errors["publicKey"] = [Count($"must be at most {AdminLimits.MaxPublicKeyLength} characters, found {key.Length}")];
        }

        var domains = body.Domains ?? [];
        if (domains.Count > AdminLimits.MaxDomains)
        {
            errors["domains"] = [Count($"an emitter speaks for at most {AdminLimits.MaxDomains} domains, found {domains.Count}")];
        }
        else
        {
            for (var i = 0; i < domains.Count; i++)
            {
                if (domains[i] is null or { Length: > AdminLimits.MaxDomainLength })
                {
                    errors[Count($"domains[{i}]")] = [Count($"must be a domain of 1 to {AdminLimits.MaxDomainLength} characters, found {(domains[i] is { } d ? d.Length + " characters" : "null")}")];
                    break;
                }
            }
        }

        return errors.Count > 0 ? errors : null;
    }

    private static Dictionary<string, string[]>? ReasonOverLimit(string? reason) =>
        reason is { Length: > AdminLimits.MaxReasonLength }
            ? new Dictionary<string, string[]> { ["reason"] = [Count($"must be at most {AdminLimits.MaxReasonLength} characters, found {reason.Length}")] }
            : null;

    private static string Count(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static System.Text.Json.JsonElement SafeData(Func<System.Text.Json.JsonElement> build, out string? error)
    {
        try
        {
            error = null;
            return build();
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return default;
        }
    }

    // 201 for what creates (an emitter's registration), 200 for what changes or revokes.
    private static IResult Appended(AppendResult result, int status) => result switch
    {
        AppendResult.Appended a => TypedResults.Json(new AppendedPosition(a.Entries[0].Position), statusCode: status),
        AppendResult.VersionConflict v => LedgerProblems.VersionConflict(v.Expected, v.Actual),
        _ => LedgerProblems.Problem(409, "registry-conflict", "The change could not be appended", result.Code),
    };
}

/// <summary>Where the ledger recorded an admin change.</summary>
public sealed record AppendedPosition(long Position);

public sealed record RegisterEmitterRequest(string? Name, IReadOnlyList<string>? Domains, string? PublicKey, bool SignaturesRequired);

public sealed record MintTokenRequest(string? Subject, string? Role, DateTimeOffset? ExpiresAt);

/// <summary>A freshly minted token; <see cref="Token"/> is shown only here.</summary>
public sealed record MintedToken(string TokenId, string Subject, string Role, string Token, DateTimeOffset? ExpiresAt);

public sealed record ParametersRequest(string? MaxPolicyAge, string? MaxAuthorizationTtl, string? MaxVerificationInterval, string? IntentTtl)
{
    /// <summary>Optional (DESIGN §8.2): absent, the default PT5M is in force.</summary>
    public string? MaxPeerSilence { get; init; }
}
