using FluentValidation;
using Ledger.Api.Admin;
using Ledger.Api.Append;
using Ledger.Api.Auth;
using Ledger.Api.Executions;
using Ledger.Api.Export;
using Ledger.Api.Federation;
using Ledger.Api.Health;
using Ledger.Api.Hosting;
using Ledger.Api.Log;
using Ledger.Api.OpenApi;
using Ledger.Api.Problems;
using Ledger.Api.Projections;
using Ledger.Api.Telemetry;
using Ledger.Api.Tlog;
using Ledger.Api.Ui;
using Ledger.Api.Witness;
using Ledger.Application;
using Ledger.Application.Executions;
using Ledger.Application.Hosting;
using Ledger.Application.Jobs;
using Ledger.Application.Registry;
using Ledger.Domain.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

// appsettings.json is read from beside the assembly, whatever the working directory (the data directory stays
// relative to the working directory: DESIGN §5).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = StartupChecks.ContentRoot(args) });
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--data-dir"] = "Ledger:DataDir",
    ["--engine"] = "Ledger:Engine",
    ["--connection-string"] = "Ledger:ConnectionString",
    ["--origin"] = "Ledger:Origin",
});
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls(StartupChecks.DefaultUrl);
}

// Configuration, engine and connection (and, once built, the addresses) are checked before anything is created (no data directory, no key,
// no database, no admin token): a bad one is one line on stderr and exit code 1, not a stack trace.
var (options, startupProblem) = await StartupChecks.RunAsync(builder.Configuration);
if (startupProblem is not null)
{
    await Console.Error.WriteLineAsync("ledger: " + startupProblem);
    return StartupChecks.ExitCode;
}

builder.WebHost.ConfigureKestrel(k =>
{
    k.Limits.MaxRequestBodySize = options.Limits.MaxBodyBytes + 1;
    RequestLimits.RaiseKestrelLimits(k.Limits);
});
// Admin bodies bind with System.Text.Json: a member given twice is refused, not "last one wins"; a body that does not
// bind throws, so that its problem (the same in every environment) can name what was wrong.
// Numbers are JSON numbers, never strings, so the OpenAPI document types them as plain integers (not integer-or-string).
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.AllowDuplicateProperties = false;
    o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
});
// Times in one form across the log and the read models: UTC with Z.
builder.Services.AddUtcTimestamps();
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddLedgerDataProtection(options);
builder.AddLedgerTelemetry();
builder.Services.AddSingleton<IValidateOptions<LedgerOptions>, LedgerOptionsValidator>();
builder.Services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.Section).ValidateOnStart();
builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<LedgerOptions>>().Value);
builder.Services.AddSingleton(sp => LedgerBootstrap.OpenAsync(sp.GetRequiredService<LedgerOptions>(), CancellationToken.None, sp.GetRequiredService<TimeProvider>()).GetAwaiter().GetResult());
builder.Services.AddLedgerApplication();
builder.Services.AddHttpClient(HttpWitnessTransport.ClientName, c => c.Timeout = options.WitnessTimeout);
builder.Services.AddSingleton<Ledger.Application.Witnessing.IWitnessTransport, HttpWitnessTransport>();
builder.Services.AddHttpClient(Ledger.Api.Federation.HttpPeerTransport.ClientName, c => c.Timeout = options.PeerTimeout);
builder.Services.AddSingleton<Ledger.Application.Federation.IPeerTransport, Ledger.Api.Federation.HttpPeerTransport>();
builder.Services.AddSingleton<GenesisService>();
builder.Services.AddSingleton<IValidator<AppendBody>, AppendBodyValidator>();
builder.Services.AddLedgerProjections();
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = LedgerProblems.CustomizeFrameworkProblem);
builder.Services.AddLedgerOpenApi();
builder.Services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
builder.Services.AddAuthorizationBuilder()
    .AddPolicy(AdminEndpoints.AdminPolicy, p => p.RequireAuthenticatedUser().RequireClaim(BearerAuthenticationHandler.RoleClaim, TokenEntry.AdminRole));
builder.Services.AddComplianceUi();

var app = builder.Build();
if (StartupChecks.ListenProblem(app) is { } listenProblem)
{
    await Console.Error.WriteLineAsync("ledger: " + listenProblem);
    return StartupChecks.ExitCode;
}

try
{
    await app.Services.GetRequiredService<GenesisService>().RunAsync(CancellationToken.None);
}
catch (Exception e) when (StartupChecks.Describe(e) is { } problem)
{
    // What can only be found while the node opens (the key file, the witness policy against this log's key, a data
    // directory that cannot be written, a database that went away): one line; a data directory this start created
    // and could not finish is removed.
    await Console.Error.WriteLineAsync("ledger: " + problem);
    return StartupChecks.ExitCode;
}

app.UseRequestLimits();
// A request the framework cannot read (Kestrel's body limit, a body that does not bind) keeps its own status.
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
    // A request the client got wrong is answered, not logged as a server error.
    SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException,
});
app.UseStatusCodePages();
app.UseComplianceUiHeaders();
app.UseAuthentication();
app.UseAuthorization();
app.MapLedgerOpenApi();
app.MapHealthEndpoints();
app.MapLedgerTelemetry();
app.MapAppendEndpoints();
app.MapLogEndpoints();
app.MapTlogEndpoints();
app.MapExecutionEndpoints();
app.MapAdminEndpoints();
app.MapExportEndpoints();
app.MapReadModelEndpoints();
app.MapWitnessEndpoints();
app.MapFederationEndpoints();
app.MapGovernanceEndpoints();
app.MapComplianceUi();
try
{
    await app.RunAsync();
}
catch (IOException e) when (StartupChecks.Describe(e) is { } problem)
{
    // An address taken between the check and Kestrel's bind: the ledger exists now, and its admin token was printed.
    await Console.Error.WriteLineAsync("ledger: " + problem);
    return StartupChecks.ExitCode;
}

return 0;

/// <summary>Entry point, visible to integration tests.</summary>
public partial class Program;
