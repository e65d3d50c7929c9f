using JasperFx;
using Wolverine;
using CaseFlow.Api.Endpoints.Admin;
using CaseFlow.Api.Endpoints.BackOffice;
using CaseFlow.Api.Endpoints.Complaints;
using CaseFlow.Api.Endpoints.Dev;
using CaseFlow.Api.Endpoints.Platform;
using CaseFlow.Api.Endpoints.Staff;
using CaseFlow.Api.Endpoints.Supervision;
using CaseFlow.Api.Endpoints.Window;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Api.Seeding;
using CaseFlow.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);
using var startupLoggerFactory = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
var startupLogger = startupLoggerFactory.CreateLogger("CaseFlow");

// The JasperFx command line where it fits (issue 15; ops/README.md): `codegen write|test|preview` writes or checks
// Wolverine's generated handler code (src/CaseFlow.Api/Internal/Generated; no database needed); `db-apply` creates
// or updates the whole schema (CaseFlow's scripts, then Marten's and Wolverine's objects) and `db-assert` fails when
// Marten's or Wolverine's objects differ from what this build expects. The host is built, never started.
var codegen = args.Length > 0 && args[0] == "codegen";
var operatorCommand = codegen || (args.Length > 0 && args[0] is "db-apply" or "db-assert");
string connectionString;
CaseFlow.Persistence.Embedded.EmbeddedPostgres? embedded = null;
if (codegen)
    connectionString = "Host=127.0.0.1;Database=caseflow_codegen";
else
try
{
    (connectionString, embedded) = await Database.ResolveAsync(builder.Configuration, startupLogger, builder.Environment.IsDevelopment());
}
catch (Exception e) when (e is CaseFlow.Persistence.Embedded.PostgresBinariesNotFoundException or EmbeddedDatabaseNotEnabledException)
{
    startupLogger.LogCritical("{Message}", e.Message);
    return 1;
}

// Marten is the event store (issue 14); an installation of the previous release moves once (`caseflow migrate-events`).
builder.Services.AddCaseFlowPersistence(connectionString, daemon: builder.Configuration.GetValue("CaseFlow:Background:Enabled", true));
// The health endpoint shows each check's state; the framework would log a line per poll while one is down (issue 13).
builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
// Marten logs failed writes and daemon retries with the exception, whose message may quote the data (a name, a
// phone) and repeats per retry during an outage: CaseFlow logs those failures itself (FailureHandler,
// DatabaseOutage, the projections' recorded failure in /health/ready), without messages (issue 13).
builder.Logging.AddFilter("Marten", LogLevel.Critical);
builder.Logging.AddFilter("JasperFx", LogLevel.Critical);
// Wolverine likewise logs every failed poll of its durability agents with the exception during an outage (issue 15).
builder.Logging.AddFilter("Wolverine", LogLevel.Critical);
// The gateway adapter's HttpClient logs every request at Information; its failures are in cf_outbox and the dead letters.
builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
builder.Services.AddSingleton<CommandHttp>();
builder.Services.AddSingleton<CaseFlow.Api.Endpoints.Appointments.ServiceModes>();
builder.Services.AddSingleton<DemoSeeder>();
builder.Services.AddSingleton(builder.Configuration.GetSection("CaseFlow:Ratings").Get<CaseFlow.Domain.Handover.RatingPolicy>() ?? new CaseFlow.Domain.Handover.RatingPolicy());
// 投诉举报 answer limit in working days (issue 17; Domain/Complaints/README.md).
var complaintPolicy = builder.Configuration.GetSection("CaseFlow:Complaints").Get<CaseFlow.Domain.Complaints.ComplaintPolicy>() ?? new CaseFlow.Domain.Complaints.ComplaintPolicy();
if (!complaintPolicy.IsValid)
{
    startupLogger.LogCritical("CaseFlow:Complaints:AnswerWithinWorkingDays must be 1–60 working days");
    return 1;
}
builder.Services.AddSingleton(complaintPolicy);
builder.Services.AddCaseFlowProblemDetails();
// A request the framework cannot read is thrown to FailureHandler, which answers 400/415 naming the field.
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddExceptionHandler<FailureHandler>();
builder.Services.AddCaseFlowSecurity(builder.Configuration);
builder.Services.AddOnlinePlatform(builder.Configuration); // 网上办: the provincial platform's signing secret (issue 17)
builder.Services.AddCaseFlowTelemetry(builder.Configuration);
builder.Services.AddHealthChecks()
    .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, ["ready"])
    .AddCheck<ProjectionHealthCheck>("projections", HealthStatus.Degraded, ["ready"])
    .AddCheck<BackgroundHealthCheck>("background", HealthStatus.Degraded, ["ready"])
    .AddCheck<NotificationHealthCheck>("notifications", HealthStatus.Degraded, ["ready"]);
builder.Services.AddSingleton(new SweepSchedule(builder.Configuration.GetValue("CaseFlow:Background:SweepInterval", SweepSchedule.Default.Interval),
    RunsHere: builder.Configuration.GetValue("CaseFlow:Background:Enabled", true)));
// A test moving the time of several host processes (FileClock; Development only, never the machine's clock).
if (builder.Environment.IsDevelopment() && builder.Configuration["CaseFlow:Clock:File"] is { Length: > 0 } clockFile)
    builder.Services.AddSingleton<TimeProvider>(new FileClock(clockFile));
builder.Services.ConfigureHttpJsonOptions(o =>
{
    // Enums by name only: an integer (or an undefined name) is refused, never stored (issue 13).
    o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(allowIntegerValues: false));
    o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
});
// The contract (contracts/openapi.json, issue 16): Infrastructure/OpenApiDocument.cs.
builder.Services.AddCaseFlowOpenApi();
// The anonymous booking API is rate-limited per client address (issue 17; Endpoints/Appointments).
CaseFlow.Api.Endpoints.Appointments.AppointmentEndpoints.AddPublicBookingRateLimit(builder.Services, builder.Configuration);

// Wolverine runs the messages: notifications through its transactional outbox (Infrastructure/Messaging.cs; issue 15).
builder.Services.AddCaseFlowNotifications(builder.Configuration);
builder.Host.UseWolverine(opts => Messaging.Configure(opts, builder.Configuration));
var app = builder.Build();
if (operatorCommand)
{
    if (args[0] == "db-apply")
        await SchemaMigrator.MigrateAsync(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>());
    var exit = await app.RunJasperFxCommands(args);
    if (embedded is { StartedHere: true })
        embedded.Stop();
    return exit;
}

// FailureHandler logs what it handles (without messages); the framework's own exception log would repeat it with them.
app.UseExceptionHandler(new ExceptionHandlerOptions { SuppressDiagnosticsCallback = _ => true });
app.UseStatusCodePages();
// The browser console at "/" (issue 18): static files and the SPA fallback, never over /api, /dev, /health, /swagger.
app.UseCaseFlowConsole(startupLogger);
app.UseAuthentication();
app.UseMiddleware<TokenClaims>();
app.UseAuthorization();
app.UseRateLimiter();

// Swagger: open in Development or when CaseFlow:Swagger:Enabled; otherwise for Admin tokens only (issue 13).
if (!app.Environment.IsDevelopment() && !app.Configuration.GetValue("CaseFlow:Swagger:Enabled", false))
{
    app.UseWhen(http => http.Request.Path.StartsWithSegments("/swagger"), branch => branch.Use(async (http, next) =>
    {
        if (http.User.IsInRole(Roles.Admin))
            await next(http);
        else
            await Security.WriteProblemAsync(http, http.User.Identity?.IsAuthenticated == true ? 403 : 401, "auth.swagger_admin_only", "接口文档仅对系统管理员开放。");
    }));
}
app.UseSwagger();
app.UseSwaggerUI(o => o.DocumentTitle = "CaseFlow API");

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions
{
    Predicate = c => c.Tags.Contains("ready"),
    ResponseWriter = HealthResponse.WriteAsync,
    ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status200OK },
}).AllowAnonymous();

// Endpoints grouped by who uses them (DOMAIN.md §1).
var api = app.MapGroup("/api").UsesDatabase();
api.AddEndpointFilter<InputFilter>(); // every value a client sends, checked before any endpoint runs (InputRules)
api.MapGroup("/window").RequireAuthorization(p => p.RequireRole(Roles.Clerk, Roles.Agent)).MapInquiries().MapWindowCatalogue().MapCaseReceipt().MapAcceptance().MapCaseDocuments().MapHandover().MapOnlineSubmissionQueue();
// Issue 17: 投诉举报 (registered by clerks and supervisors, answered by supervisors), 去向留言 and the window's public screen.
api.MapGroup("").RequireAuthorization(p => p.RequireRole(Roles.Clerk, Roles.Supervisor)).MapComplaints();
api.MapGroup("/supervision").RequireAuthorization(p => p.RequireRole(Roles.Supervisor)).MapComplaintSupervision();
api.MapGroup("/window").RequireAuthorization(p => p.RequireRole(Roles.Clerk)).MapWhereabouts();
api.MapGroup("/public").AllowAnonymous().MapWindowStatus();
api.MapGroup("/backoffice").RequireAuthorization(p => p.RequireRole(Roles.Approver, Roles.DepartmentHead, Roles.Supervisor)).MapCaseWork();
api.MapGroup("/supervision").RequireAuthorization(p => p.RequireRole(Roles.Supervisor)).MapLedger().MapBoard().MapCaseAudit().MapReports();
api.MapGroup("/supervision").RequireAuthorization(p => p.RequireRole(Roles.Supervisor, Roles.Clerk)).MapRatingFollowUp();
api.MapGroup("").RequireAuthorization(p => p.RequireRole(Roles.Supervisor, Roles.Admin)).MapOrganisationRead();
api.MapGroup("").RequireAuthorization(p => p.RequireRole(Roles.Approver, Roles.DepartmentHead)).MapDepartmentReports();
api.MapGroup("/admin").RequireAuthorization(p => p.RequireRole(Roles.Admin)).MapProjections().MapDeadLetters().MapCalendarAdmin().MapWarningRulesAdmin().MapCatalogueAdmin().MapBundleAdmin().MapOrganisationAdmin();
api.MapGroup("").RequireAuthorization(p => p.RequireRole(Roles.Clerk, Roles.Agent, Roles.Approver, Roles.DepartmentHead, Roles.Supervisor, Roles.Admin)).MapCalendar().MapCatalogue().MapAbsences().MapWarningRulesRead().MapSupervisionAnswers().MapCaseTimeline().MapOwnLedger();
// 预约 / 延时错时服务 (issue 17): the window's bookings, the administrators' schedule, the anonymous booking API.
CaseFlow.Api.Endpoints.Appointments.AppointmentEndpoints.MapAppointmentWindow(api.MapGroup("/window").RequireAuthorization(p => p.RequireRole(Roles.Clerk, Roles.Agent)));
CaseFlow.Api.Endpoints.Appointments.AppointmentEndpoints.MapAppointmentAdmin(api.MapGroup("/admin").RequireAuthorization(p => p.RequireRole(Roles.Admin)));
CaseFlow.Api.Endpoints.Appointments.AppointmentEndpoints.MapPublicAppointments(api);
// 网上办: the provincial platform signs its requests (HMAC); staff tokens are refused there (issue 17).
api.MapGroup("/platform").WithTags("Platform · 网上办").MapOnlineSubmissionIntake();
if (app.Environment.IsDevelopment())
    app.MapDevTokens();

await SchemaMigrator.MigrateAsync(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>());
if (await CaseFlow.Persistence.Marten.EventMigration.PendingAsync(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>()))
{
    // Events written by the previous release are still in CaseFlow's own tables: moved once, in Development by
    // the host itself; elsewhere the operator runs `caseflow migrate-events` (ops/README.md) after a backup.
    if (!app.Environment.IsDevelopment())
    {
        startupLogger.LogCritical("This database holds events of the previous release in cf_events: back it up and run `caseflow migrate-events` (ops/README.md)");
        return 1;
    }
    var report = await CaseFlow.Persistence.Marten.EventMigration.RunAsync(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
        app.Services.GetRequiredService<CaseFlow.Persistence.Projections.IProjectionRunner>(), app.Services.GetRequiredService<CaseFlow.Persistence.Projections.ProjectionCatalog>(), startupLogger);
    startupLogger.LogInformation("Moved {Streams} streams and {Events} events of the previous release to Marten ({Result})", report.Streams, report.Events, report.Clean ? "projections identical" : "see warnings");
}
if (app.Environment.IsDevelopment() && app.Configuration.GetValue("CaseFlow:Demo:Seed", true))
{
    // Through the same commands users send, once the host (and Wolverine, which sends their notifications) has started.
    app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
    {
        try
        {
            await app.Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(app.Lifetime.ApplicationStopping);
            startupLogger.LogInformation("The demo is ready (seeded if the database was empty)");
        }
        catch (Exception e) when (!app.Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            startupLogger.LogCritical("Seeding the demo failed ({Failure})", CaseFlow.Persistence.Resilience.DatabaseFailures.Describe(e));
        }
    }));
}

if (embedded is { StartedHere: true } && app.Configuration.GetValue("CaseFlow:EmbeddedDatabase:StopOnExit", true))
    app.Lifetime.ApplicationStopped.Register(embedded.Stop);
app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var url in app.Urls)
        startupLogger.LogInformation("CaseFlow is listening on {Url}; Swagger UI at {Url}/swagger", url, url);
});

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
