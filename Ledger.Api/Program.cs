using FluentValidation;
using Ledger.Api.Admin;
using Ledger.Api.Append;
using Ledger.Api.Auth;
using Ledger.Api.Executions;
using Ledger.Api.Export;
using Ledger.Api.Health;
using Ledger.Api.Hosting;
using Ledger.Api.Log;
using Ledger.Api.Problems;
using Ledger.Api.Projections;
using Ledger.Api.Tlog;
using Ledger.Api.Witness;
using Ledger.Application;
using Ledger.Application.Executions;
using Ledger.Application.Hosting;
using Ledger.Application.Jobs;
using Ledger.Application.Registry;
using Ledger.Domain.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--data-dir"] = "Ledger:DataDir",
    ["--engine"] = "Ledger:Engine",
    ["--connection-string"] = "Ledger:ConnectionString",
    ["--origin"] = "Ledger:Origin",
});
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

// The configuration is checked before anything is created (no data directory, no key, no database): a bad value is
// one line on stderr and exit code 2, not a stack trace.
LedgerOptions options;
try
{
    options = builder.Configuration.GetSection(LedgerOptions.Section).Get<LedgerOptions>() ?? new LedgerOptions();
}
catch (InvalidOperationException e)
{
    await Console.Error.WriteLineAsync("ledger: invalid configuration: " + (e.Message + (e.InnerException is { } inner ? " " + inner.Message : "")).ReplaceLineEndings(" "));
    return 2;
}

if (LedgerOptionsValidator.Check(options) is [var configurationError, ..])
{
    await Console.Error.WriteLineAsync("ledger: invalid configuration: " + configurationError);
    return 2;
}

builder.WebHost.ConfigureKestrel(k =>
{
    k.Limits.MaxRequestBodySize = options.Limits.MaxBodyBytes + 1;
    RequestLimits.RaiseKestrelLimits(k.Limits);
});
// Admin bodies bind with System.Text.Json: a member given twice is refused, not "last one wins"; a body that does not
// bind throws, so that its problem (the same in every environment) can name what was wrong.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.AllowDuplicateProperties = false);
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddSingleton(TimeProvider.System);
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
builder.Services.AddOpenApi(o => o.AddBearerSecurity());
builder.Services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
builder.Services.AddAuthorizationBuilder()
    .AddPolicy(AdminEndpoints.AdminPolicy, p => p.RequireAuthenticatedUser().RequireClaim(BearerAuthenticationHandler.RoleClaim, TokenEntry.AdminRole));

var app = builder.Build();
try
{
    await app.Services.GetRequiredService<GenesisService>().RunAsync(CancellationToken.None);
}
catch (LedgerConfigurationException e)
{
    // What can only be checked with the key and the files at hand (the witness policy names this log's key): one line.
    await Console.Error.WriteLineAsync("ledger: invalid configuration: " + e.Message.ReplaceLineEndings(" "));
    return 2;
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
app.UseAuthentication();
app.UseAuthorization();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapHealthEndpoints();
app.MapAppendEndpoints();
app.MapLogEndpoints();
app.MapTlogEndpoints();
app.MapExecutionEndpoints();
app.MapAdminEndpoints();
app.MapExportEndpoints();
app.MapReadModelEndpoints();
app.MapWitnessEndpoints();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to integration tests.</summary>
public partial class Program;
