using Ledger.Application.Telemetry;
using Ledger.Store;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ledger.Api.Telemetry;

/// <summary>
/// OpenTelemetry for a node: the ledger's meters (<see cref="LedgerTelemetry"/>, <see cref="StoreTelemetry"/>) and
/// ASP.NET Core's and HttpClient's, spans of requests, the append path, store transactions and jobs; Prometheus text at
/// <c>GET /metrics</c>; OTLP export of metrics, traces and logs when an endpoint is configured.
/// </summary>
public static class TelemetryServices
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddLedgerTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(builder.Configuration.GetSection(Health.HealthOptions.Section).Get<Health.HealthOptions>() ?? new Health.HealthOptions());
        builder.Services.AddSingleton<TelemetrySampler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TelemetrySampler>());

        var otlp = !string.IsNullOrWhiteSpace(options.OtlpEndpoint) || !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("ledger", serviceVersion: typeof(TelemetryServices).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(LedgerTelemetry.Name, StoreTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (options.Prometheus)
                {
                    metrics.AddPrometheusExporter(p => p.ScrapeResponseCacheDurationMilliseconds = 0);
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter((o, reader) =>
                    {
                        Configure(o, options, "v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.MetricExportInterval.TotalMilliseconds;
                    });
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(LedgerTelemetry.Name, StoreTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments(MetricsPath))
                    .AddHttpClientInstrumentation();
                if (otlp)
                {
                    tracing.AddOtlpExporter(o => Configure(o, options, "v1/traces"));
                }
            });
        if (otlp)
        {
            telemetry.WithLogging(logging => logging.AddOtlpExporter(o => Configure(o, options, "v1/logs")), o => o.IncludeFormattedMessage = true);
        }

        return builder;
    }

    /// <summary>Maps <c>GET /metrics</c> (Prometheus text) when enabled.</summary>
    public static IEndpointRouteBuilder MapLedgerTelemetry(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ServiceProvider.GetRequiredService<TelemetryOptions>().Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).WithTags("Health").WithName("Metrics")
                .WithSummary("OpenTelemetry metrics in the Prometheus text format");
        }

        return app;
    }

    private static void Configure(OtlpExporterOptions otlp, TelemetryOptions options, string signalPath)
    {
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            var grpc = string.Equals(options.OtlpProtocol, "grpc", StringComparison.OrdinalIgnoreCase);
            otlp.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
            var endpoint = options.OtlpEndpoint.TrimEnd('/');
            // With http/protobuf the base URL gets the signal's path, as OTEL_EXPORTER_OTLP_ENDPOINT does.
            otlp.Endpoint = new Uri(grpc ? endpoint : endpoint + "/" + signalPath);
        }
    }
}
