using CaseFlow.Persistence.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// OpenTelemetry wired by hand (the hosting and instrumentation packages are not available here): traces and
/// metrics from ASP.NET Core and Npgsql (both emit natively) and CaseFlow's own source and meter, exported over
/// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. No span or tag carries personal data: CaseFlow tags
/// name commands, stream kinds and ids, never applicants; Npgsql's statement text holds only parameter
/// placeholders, never values.
/// </summary>
public sealed class TelemetryProviders(TracerProvider? tracer, MeterProvider? meter) : IDisposable
{
    public static readonly string[] Sources = [CaseFlowTelemetry.SourceName, "Microsoft.AspNetCore", "Npgsql"];
    public static readonly string[] Meters = [CaseFlowTelemetry.SourceName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Npgsql"];

    public static TelemetryProviders Create(IConfiguration configuration)
    {
        var endpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint))
            return new TelemetryProviders(null, null);

        var resource = ResourceBuilder.CreateDefault().AddService(configuration["OTEL_SERVICE_NAME"] ?? "caseflow-api");
        var tracer = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(Sources)
            .AddOtlpExporter(o => o.Endpoint = new Uri(endpoint))
            .Build();
        var meter = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(Meters)
            .AddOtlpExporter((OtlpExporterOptions o, MetricReaderOptions reader) =>
            {
                o.Endpoint = new Uri(endpoint);
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 15_000;
            })
            .Build();
        return new TelemetryProviders(tracer, meter);
    }

    public void Dispose()
    {
        tracer?.Dispose();
        meter?.Dispose();
    }
}
