using System.Diagnostics;
using CaseFlow.Persistence.Resilience;
using CaseFlow.Persistence.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Npgsql;
using OpenTelemetry.Trace;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// OpenTelemetry through the hosting package (issue 15): the tracer and meter providers live in the host's
/// container, start with it and are flushed and disposed when it stops. Traces and metrics from ASP.NET Core (its
/// instrumentation: query strings redacted, exceptions not recorded), Npgsql, Marten, Wolverine and CaseFlow's own source and
/// meter, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. No span or tag carries personal data:
/// CaseFlow tags name commands, stream kinds and ids, never applicants; Npgsql's statement text holds only parameter
/// placeholders, never values; every recorded exception goes through <see cref="SafeExceptions"/>.
/// </summary>
public static class Telemetry
{
    public static readonly string[] Sources = [CaseFlowTelemetry.SourceName, "Microsoft.AspNetCore", "Npgsql", "Marten", "Wolverine"];
    // Wolverine's meter is named after the service ("Wolverine:caseflow", see Program.cs).
    public static readonly string[] Meters = [CaseFlowTelemetry.SourceName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Npgsql", "Marten", "Wolverine:caseflow"];

    public static IServiceCollection AddCaseFlowTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        SafeExceptions.Install();
        var endpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint))
            return services;

        var protocol = configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? "caseflow-api"))
            .WithTracing(t => t
                // ASP.NET Core's own source is in the list as well: with the instrumentation alone no request span was
                // exported (measured). The same list is what SafeExceptions watches.
                .AddSource(Sources)
                .AddAspNetCoreInstrumentation()
                .AddNpgsql()
                .AddProcessor(new SafeExceptions())
                .AddOtlpExporter(o =>
                {
                    o.Endpoint = new Uri(endpoint);
                    o.Protocol = protocol;
                    // A burst (the demo seed, a sweeper catch-up: each notification adds Wolverine's send and handle
                    // spans) overflowed the default queue of 2,048 and later spans were dropped (measured in
                    // PersonalDataTests): room for a burst, at roughly 1 KB a span.
                    o.BatchExportProcessorOptions.MaxQueueSize = 32_768;
                }))
            .WithMetrics(m => m
                .AddMeter(Meters)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter((o, reader) =>
                {
                    o.Endpoint = new Uri(endpoint);
                    o.Protocol = protocol;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 15_000;
                }));
        return services;
    }
}

/// <summary>
/// No exception message reaches a span (issue 13): PostgreSQL's message, detail and context may quote the data
/// that failed. Every <c>Activity.AddException</c> (Npgsql's, ASP.NET Core's) records the exception's types,
/// SQLSTATE and constraint as its message and only the stack frames as its stack trace; an error status keeps the
/// exception type, not the message.
/// </summary>
public sealed class SafeExceptions : BaseProcessor<Activity>
{
    private static ActivityListener? _recorder;

    public static void Install()
    {
        if (_recorder is not null)
            return;
        var listener = new ActivityListener
        {
            ShouldListenTo = source => Telemetry.Sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None, // records nothing itself
            ExceptionRecorder = (Activity _, Exception e, ref TagList tags) =>
            {
                tags.Add("exception.message", DatabaseFailures.Describe(e));
                tags.Add("exception.stacktrace", $"{e.GetType().FullName}\n{DatabaseFailures.Frames(e)}");
            },
        };
        if (Interlocked.CompareExchange(ref _recorder, listener, null) is null)
            ActivitySource.AddActivityListener(listener);
    }

    public override void OnEnd(Activity activity)
    {
        if (activity.Status == ActivityStatusCode.Error && !string.IsNullOrEmpty(activity.StatusDescription))
        {
            var type = activity.Events.Where(e => e.Name == "exception").SelectMany(e => e.Tags).FirstOrDefault(t => t.Key == "exception.type").Value as string;
            activity.SetStatus(ActivityStatusCode.Error, type ?? "error");
        }
    }
}
