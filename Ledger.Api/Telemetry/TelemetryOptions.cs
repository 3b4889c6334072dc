namespace Ledger.Api.Telemetry;

/// <summary>Telemetry of a node (section <c>Ledger:Telemetry</c>; docs/OPERATIONS.md, "Telemetry").</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Ledger:Telemetry";

    /// <summary>Where metrics, traces and logs are also sent with OTLP (e.g. <c>http://collector:4318</c>); none when
    /// empty. The standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable turns OTLP export on too.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>http/protobuf</c> (default) or <c>grpc</c>.</summary>
    public string OtlpProtocol { get; set; } = "http/protobuf";

    /// <summary>How often metrics are pushed with OTLP.</summary>
    public TimeSpan MetricExportInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the gauges (log size, checkpoint, witness and projection lag) are read from the store.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether <c>GET /metrics</c> serves the Prometheus text format.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>Every problem with these settings, one sentence each; empty when they are valid.</summary>
    public IReadOnlyList<string> Check()
    {
        var problems = new List<string>();
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint)
            && (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add($"{Section}:OtlpEndpoint: '{OtlpEndpoint}' is not an http:// or https:// URL");
        }

        if (OtlpProtocol is not ("http/protobuf" or "grpc"))
        {
            problems.Add($"{Section}:OtlpProtocol: '{OtlpProtocol}' is not one of http/protobuf, grpc");
        }

        if (SampleInterval <= TimeSpan.Zero || SampleInterval > TimeSpan.FromDays(1))
        {
            problems.Add($"{Section}:SampleInterval: {SampleInterval} is not between 0 and 1 day");
        }

        if (MetricExportInterval < TimeSpan.FromMilliseconds(100) || MetricExportInterval > TimeSpan.FromDays(1))
        {
            problems.Add($"{Section}:MetricExportInterval: {MetricExportInterval} is not between 100 ms and 1 day");
        }

        return problems;
    }
}
