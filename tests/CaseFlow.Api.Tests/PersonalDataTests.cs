using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseFlow.Api.Tests;

/// <summary>
/// A host whose logs are captured and whose traces are exported over OTLP/HTTP to a receiver on loopback, the
/// way an operator's collector receives them.
/// </summary>
public sealed class ObservedApiFactory : ApiFactory
{
    private readonly HttpListener _collector = new();
    private readonly int _port = FreePort();

    public ConcurrentQueue<string> Logs { get; } = new();

    public ConcurrentQueue<byte[]> Exported { get; } = new();

    public override async Task InitializeAsync()
    {
        _collector.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _collector.Start();
        _ = Task.Run(ReceiveAsync);
        await base.InitializeAsync();
        // The catalogue and the organisation only: the whole demo's thousands of spans would only crowd the export.
        var seeder = Services.GetRequiredService<CaseFlow.Api.Seeding.DemoSeeder>();
        await seeder.SeedCatalogueAsync();
        await seeder.SeedOrganisationAsync();
    }

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", $"http://127.0.0.1:{_port}/v1/traces");
        builder.UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        // ActivitySources are per process: this host's tracer also sees every other test host's spans. The class runs
        // alone (collection "Telemetry"), so none of this host's own is crowded out of the exporter's queue.
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLoggerProvider(Logs)));
    }

    private async Task ReceiveAsync()
    {
        while (_collector.IsListening)
        {
            try
            {
                var context = await _collector.GetContextAsync();
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                Exported.Enqueue(body.ToArray());
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
        }
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void StopCollector() => _collector.Close();
}

public sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Capturing(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>
/// Personal data never reaches logs or traces, not even inside a database error (issue 13, done means 4): a
/// database that refuses a write while quoting its data (in the message, the detail and the hint — what PostgreSQL
/// does for a bad character in JSON or a duplicate key) leaves neither the ID number nor the phone in the captured
/// log lines or in the exported spans.
/// </summary>
/// <summary>Classes that read what the process's tracer exported run alone: other hosts' spans would crowd theirs out.</summary>
[CollectionDefinition("Telemetry", DisableParallelization = true)]
public sealed class TelemetryCollection;

[Collection("Telemetry")]
public sealed class PersonalDataTests(ObservedApiFactory api) : IClassFixture<ObservedApiFactory>
{
    private const string Phone = "13912345678";
    private const string IdNumber = "360730199003070012";
    private const string Name = "钟离秋水";

    [Fact]
    public async Task A_database_error_quoting_an_id_number_and_a_phone_leaves_neither_in_logs_or_spans()
    {
        Assert.True(CaseFlow.Domain.Identity.ResidentIdNumber.IsValid(IdNumber));
        await using (var trap = api.Db.DataSource.CreateCommand(
            """
            CREATE FUNCTION test_quote_the_data() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'refused row %', NEW.data::text USING DETAIL = NEW.data::text, HINT = NEW.data::text;
            END $$;
            CREATE TRIGGER test_quote_the_data BEFORE INSERT ON cf_events FOR EACH ROW
                WHEN (NEW.type IN ('inquiry.registered.v1', 'case.received.v1', 'complaint.registered.v1')) EXECUTE FUNCTION test_quote_the_data();
            CREATE TRIGGER test_quote_the_data BEFORE INSERT ON cf_marten.mt_events FOR EACH ROW
                WHEN (NEW.type IN ('inquiry.registered.v1', 'case.received.v1', 'complaint.registered.v1')) EXECUTE FUNCTION test_quote_the_data();
            """))
        {
            await trap.ExecuteNonQueryAsync();
        }

        // The host ends a request's span after the client has its answer: the test waits for both before it stops the
        // host, or the span can miss the final flush (seen: about one run in two).
        var requestsEnded = 0;
        using var requests = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == "Microsoft.AspNetCore",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.PropagationData,
            ActivityStopped = a => { if (a.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn") Interlocked.Increment(ref requestsEnded); },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(requests);
        var clerk = api.As("clerk-tw-1");
        var inquiry = await clerk.PostAsJsonAsync("/api/window/inquiries", new { enquirerName = Name, enquirerPhone = Phone, topic = "咨询养老保险" });
        var receipt = await clerk.PostAsJsonAsync("/api/window/cases", new
        {
            windowId = "window-tw-1",
            itemId = CaseFlow.Domain.Catalogue.ServiceItemId.For("361130-000201002"),
            applicant = new { kind = "Person", name = Name, residentIdNumber = IdNumber, phone = Phone },
            materials = Array.Empty<object>(),
        });
        // Issue 17: a complainant's name and phone (投诉举报).
        var complaint = await clerk.PostAsJsonAsync("/api/complaints", new
        {
            source = "Phone", against = "Window", targetId = "window-tw-1", facts = "窗口长时间无人。", anonymous = false, complainantName = Name, complainantPhone = Phone,
        });
        Assert.Equal(500, (int)complaint.StatusCode); // it reached the write, which the database refused (not an earlier 4xx)
        foreach (var response in new[] { inquiry, receipt, complaint })
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode >= 400, body); // the database refused: nothing was written
            Assert.DoesNotContain(Phone, body, StringComparison.Ordinal);
            Assert.DoesNotContain(IdNumber, body, StringComparison.Ordinal);
        }

        await CaseFlow.Testing.Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref requestsEnded) >= 3), "the requests' spans ended");
        // Everything recorded so far goes to the collector now (waiting for the 5 s schedule or the flush on stop was
        // not reliable in this test: sometimes nothing, sometimes part of it arrived), then the host stops.
        Assert.True(OpenTelemetry.Trace.TracerProviderExtensions.ForceFlush(api.Services.GetRequiredService<OpenTelemetry.Trace.TracerProvider>(), 15_000), "the exporter flushed");
        await api.StopHostAsync();
        api.StopCollector();

        Assert.NotEmpty(api.Exported); // spans did reach the collector
        var exported = string.Join("\n", api.Exported.Select(b => Encoding.UTF8.GetString(b)));
        Assert.Contains("INSERT INTO", exported, StringComparison.Ordinal); // the database spans, including the failed write, were exported
        // Issue 15: the hosting package's providers, with ASP.NET Core's instrumentation and Marten's source beside
        // CaseFlow's own, flushed when the host stopped.
        foreach (var scope in new[] { "Microsoft.AspNetCore", "Npgsql", "Marten", CaseFlow.Persistence.Telemetry.CaseFlowTelemetry.SourceName })
            Assert.True(exported.Contains(scope, StringComparison.Ordinal), $"no {scope} in {api.Exported.Count} exports: {System.Text.RegularExpressions.Regex.Replace(exported, "[^ -~]+", " ")[..Math.Min(2000, exported.Length)]}");
        var logs = string.Join("\n", api.Logs);
        Assert.Contains("P0001", logs, StringComparison.Ordinal); // and in the log
        foreach (var secret in new[] { Phone, IdNumber, Name })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, exported, StringComparison.Ordinal);
        }
    }
}
