using CaseFlow.Persistence.Commands;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Inquiries;
using CaseFlow.Persistence.Outbox;
using CaseFlow.Persistence.Projections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace CaseFlow.Persistence;

public static class ServiceCollectionExtensions
{
    /// <summary>Wolverine's envelope tables (incoming, outgoing, scheduled, dead letters, nodes).</summary>
    public const string WolverineSchema = "cf_wolverine";

    /// <summary>The product's projections, one list: inline ones run in the command's transaction.</summary>
    public static ProjectionCatalog ProductProjections() => new(
    [
        new(new InquiryWorklistProjection(), ProjectionMode.Inline),
        new(new InquiryLedgerProjection(), ProjectionMode.Async),
        new(new Calendar.CalendarYearsProjection(), ProjectionMode.Inline),
        new(new Catalogue.CatalogueProjection(), ProjectionMode.Inline),
        new(new Organisation.OrganisationProjection(), ProjectionMode.Inline),
        new(new Acceptance.CaseProjection(), ProjectionMode.Inline),
        new(new BackOffice.CasePartsProjection(), ProjectionMode.Inline),
        new(new Supervision.SupervisionProjection(), ProjectionMode.Inline),
        new(new Complaints.ComplaintProjection(), ProjectionMode.Inline),
        new(new Organisation.WindowLeaveProjection(), ProjectionMode.Inline),
        new(new Supervision.AccountabilityLedgerProjection(), ProjectionMode.Async),
        new(new Supervision.ServiceReportProjection(), ProjectionMode.Async),
        new(new Appointments.AppointmentProjection(), ProjectionMode.Inline),
        new(new OnlineSubmission.OnlineSubmissionProjection(), ProjectionMode.Inline),
    ]);

    /// <summary>Store, pipeline, projections and outbox over one PostgreSQL data source, the events on Marten (issue 14).</summary>
    /// <param name="daemon">Run Marten's async daemon in this host, HotCold — one node of all the hosts on the
    /// database runs the projections, another takes over when it dies.</param>
    public static IServiceCollection AddCaseFlowPersistence(this IServiceCollection services, string connectionString, bool daemon = false)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ =>
        {
            var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "caseflow" };
            // PostgreSQL's error detail quotes the data that failed (a key, a name): never carried into exceptions (issue 13).
            builder.ConnectionStringBuilder.IncludeErrorDetail = false;
            Marten.CaseFlowStoreOptions.TraceOnlyWithinWork(builder);
            return builder.Build();
        });
        services.AddSingleton(EventSerializer.Default);
        // Marten's own data source (auto-prepared statements), owned by the container so it is disposed with the host.
        services.AddSingleton(_ => new Marten.MartenDataSource(Marten.CaseFlowStoreOptions.DataSourceFor(connectionString)));
        var store = global::Marten.MartenServiceCollectionExtensions.AddMarten(services, sp =>
        {
            var options = Marten.CaseFlowStoreOptions.For(sp.GetRequiredService<Marten.MartenDataSource>().Source, sp.GetRequiredService<TimeProvider>());
            Marten.CaseFlowStoreOptions.AddProjections(options, sp.GetRequiredService<ProjectionCatalog>(), sp.GetRequiredService<EventSerializer>(), sp.GetRequiredService<NpgsqlDataSource>());
            // Leadership is checked every 2 s, so a node that dies is replaced within a few seconds.
            options.Projections.LeadershipPollingTime = 2_000;
            // A shard paused by an outage is restarted by the daemon's health check: every 5 s, not every 30 s.
            options.Projections.HealthCheckPollingTime = TimeSpan.FromSeconds(5);
            return options;
        });
        // Wolverine's durable inbox, outbox, scheduled messages and dead letters beside Marten's tables, in the
        // same database and transactions (issue 15).
        global::Wolverine.Marten.WolverineOptionsMartenExtensions.IntegrateWithWolverine(store, w =>
        {
            w.MessageStorageSchemaName = WolverineSchema;
            w.AutoCreate = JasperFx.AutoCreate.CreateOrUpdate;
        });
        if (daemon)
        {
            store.AddAsyncDaemon(JasperFx.Events.Daemon.DaemonMode.HotCold);
            services.AddHostedService<Marten.ProjectionWatchdog>();
        }
        services.AddSingleton<IProjectionRunner, Marten.MartenProjectionRunner>();
        services.AddSingleton<IEventStore>(sp => new Marten.MartenEventStore(
            sp.GetRequiredService<global::Marten.IDocumentStore>(), sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<EventSerializer>(), sp));
        services.AddSingleton(ProductProjections());
        services.AddSingleton<IOutboxPolicy, InquiryNotifications>();
        services.AddSingleton<IOutboxPolicy, Deadlines.CaseNotifications>();
        services.AddSingleton<IOutboxPolicy, Appointments.AppointmentNotifications>();
        services.AddSingleton<Appointments.AppointmentDesk>();
        services.AddSingleton<IOutboxPolicy, OnlineSubmission.OnlineSubmissionNotifications>();
        services.AddSingleton<OnlineSubmission.OnlineIntake>();
        services.AddSingleton<IOutboxPolicy, Complaints.ComplaintNotifications>();
        services.AddSingleton<IOutboxPolicy, Organisation.WindowLeaveNotifications>();
        services.AddSingleton<CommandPipeline>();
        services.AddSingleton<ProjectionRebuilds>();
        services.TryAddSingleton<INotificationSender, RecordingNotificationSender>();
        services.AddSingleton<Calendar.CalendarProvider>();
        services.AddSingleton<Acceptance.CaseDesk>();
        services.AddSingleton<Deadlines.DeadlineWatch>();
        services.AddSingleton<Complaints.ComplaintWatch>();
        services.TryAddSingleton(new Domain.Complaints.ComplaintPolicy());
        services.TryAddSingleton(new Domain.Handover.RatingPolicy());
        services.AddSingleton<CaseSweeper>();
        services.AddSingleton<SweepBacklog>();
        services.TryAddSingleton(SweepSchedule.Default);
        services.AddSingleton<global::Wolverine.Runtime.Agents.IAgentFamily, CaseSweeperAgentFamily>();
        services.AddSingleton<Resilience.DatabaseOutage>();
        services.AddSingleton<Resilience.BackgroundHealth>();
        return services;
    }

}
