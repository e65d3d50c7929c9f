using System.Text.Json;
using System.Text.Json.Nodes;
using CaseFlow.Domain.Common;
using CaseFlow.Persistence.EventStore;
using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Services.Json.Transformations.SystemTextJson;

namespace CaseFlow.Persistence.Marten;

/// <summary>
/// How CaseFlow's events are kept in Marten (issue 14, first step): streams by Guid, Quick append (Rich append
/// reserves sequence numbers outside the transaction, and a stall longer than the daemon's stale-sequence
/// threshold makes it skip those events for good), every event under its stable catalogue name
/// (<c>case.accepted.v1</c>, never a CLR name), the data as the golden samples in <c>contracts/events</c> have it
/// (<see cref="EventSerializer.Options"/>: camelCase, enums by name), the upcaster chain of
/// <see cref="EventSerializer"/> as Marten upcasters, and actor, channel, correlation and causation as metadata.
/// Marten's tables live in their own schema, applied ahead of time (never by a host at start).
/// </summary>
public static class CaseFlowStoreOptions
{
    public const string Schema = "cf_marten";

    public static StoreOptions For(string connectionString)
    {
        var options = new StoreOptions();
        options.Connection(connectionString);
        Configure(options);
        return options;
    }

    /// <summary>
    /// Statements Npgsql prepares on Marten's connections (its append function, CaseFlow's inline and async
    /// projection statements, the idempotency completion): measured on `caseflow bench` at 16 writers,
    /// start-stream 33 → 69 % and a real command 34 → 44 % of raw SQL. Only on Marten's own data source: the read
    /// side keeps custom plans (generic plans made the reports 4× slower, Supervision decision record).
    /// </summary>
    public const int MaxAutoPrepare = 20;

    /// <summary>A data source for Marten's sessions and daemon: the host's connection, auto-prepared, no error detail.</summary>
    public static Npgsql.NpgsqlDataSource DataSourceFor(string connectionString, int autoPrepare = MaxAutoPrepare)
    {
        var builder = new Npgsql.NpgsqlDataSourceBuilder(connectionString) { Name = "caseflow-marten" };
        builder.ConnectionStringBuilder.IncludeErrorDetail = false;
        TraceOnlyWithinWork(builder);
        builder.ConnectionStringBuilder.MaxAutoPrepare = autoPrepare;
        return builder.Build();
    }

    /// <summary>
    /// Database spans only inside a request, a command or a message being handled: the polling of Marten's daemon and
    /// Wolverine's agents (several statements every 2 s on every node) would otherwise bury the traces an operator reads.
    /// </summary>
    public static void TraceOnlyWithinWork(Npgsql.NpgsqlDataSourceBuilder builder) =>
        builder.ConfigureTracing(t => t
            .ConfigureCommandFilter(_ => System.Diagnostics.Activity.Current is not null)
            .ConfigureBatchFilter(_ => System.Diagnostics.Activity.Current is not null));

    /// <summary>The store for a host: Marten on its own data source, timestamps from the injected clock.</summary>
    public static StoreOptions For(Npgsql.NpgsqlDataSource dataSource, TimeProvider clock)
    {
        var options = new StoreOptions();
        options.Connection(dataSource);
        Configure(options);
        options.Events.TimeProvider = clock;
        return options;
    }

    /// <summary>
    /// CaseFlow's async projections as Marten async projections: SQL into their own tables in the daemon's
    /// transaction; a rebuild empties those tables first. A failing event stops the projection (nothing skipped),
    /// and extended tracking records where, for every node and the health check to see.
    /// </summary>
    public static void AddProjections(StoreOptions options, Projections.ProjectionCatalog catalog, EventSerializer serializer, Npgsql.NpgsqlDataSource? failures = null)
    {
        options.Events.EnableExtendedProgressionTracking = true;
        options.Projections.Errors.SkipApplyErrors = false;
        options.Projections.Errors.SkipSerializationErrors = false;
        options.Projections.Errors.SkipUnknownEvents = false;
        foreach (var projection in catalog.Async)
        {
            var tables = projection.Tables;
            options.Projections.Add(new MartenProjection(projection, serializer, failures), global::JasperFx.Events.Projections.ProjectionLifecycle.Async, projection.Name, async =>
            {
                foreach (var table in tables)
                    async.DeleteDataInTableOnTeardown(table);
            });
        }
    }

    public static void Configure(StoreOptions options)
    {
        options.DatabaseSchemaName = Schema;
        options.AutoCreateSchemaObjects = AutoCreate.None;
        // Marten re-applies its own casing and enum storage to the options it is given (PascalCase and integers by
        // default): both must be said here, or every event is stored unlike its golden sample.
        options.UseSystemTextJsonForSerialization(EventSerializer.CreateOptions(), Weasel.Core.EnumStorage.AsString, Weasel.Core.Casing.CamelCase);
        options.Events.StreamIdentity = StreamIdentity.AsGuid;
        // Quick append whose timestamps come from Events.TimeProvider for appends too (plain Quick takes the server's
        // now() on Append); an exclusive lock on concurrent appends so a lost race burns no sequence number (a gap
        // would hold the daemon for its stale-sequence threshold).
        options.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
        options.Events.UseExclusiveLockOnConcurrentAppends = true;
        // A span per Marten connection and its commands (source "Marten"; statements carry placeholders, never values).
        options.OpenTelemetry.TrackConnections = JasperFx.OpenTelemetry.TrackLevel.Normal;
        options.Events.MetadataConfig.HeadersEnabled = true;
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.CausationIdEnabled = true;
        foreach (var (name, type) in EventCatalog.All)
            options.Events.MapEventType(type, name);
        // Each retired name reads as the current type at the end of its chain (x.v1 -> x.v2 -> x.v3), the old row unchanged.
        var byFrom = Upcasters.All.ToDictionary(u => u.FromType, StringComparer.Ordinal);
        foreach (var first in Upcasters.All)
        {
            var chain = new List<IEventUpcaster> { first };
            while (EventCatalog.TypeOf(chain[^1].ToType) is null && byFrom.TryGetValue(chain[^1].ToType, out var next) && chain.Count < 64)
                chain.Add(next);
            var target = EventCatalog.TypeOf(chain[^1].ToType)
                ?? throw new InvalidOperationException($"Upcaster chain from {first.FromType} reaches no event of the catalogue.");
            options.Events.Upcast(target, first.FromType, JsonTransformations.Upcast(document =>
            {
                var node = JsonNode.Parse(document.RootElement.GetRawText()) as JsonObject ?? new JsonObject();
                foreach (var step in chain)
                    node = step.Upcast(node);
                return node.Deserialize(target, EventSerializer.Options)!;
            }));
        }
    }
}

/// <summary>Marten's own data source in the container, which disposes it with the host.</summary>
public sealed class MartenDataSource(Npgsql.NpgsqlDataSource source) : IAsyncDisposable, IDisposable
{
    public Npgsql.NpgsqlDataSource Source => source;

    public ValueTask DisposeAsync() => source.DisposeAsync();

    public void Dispose() => source.Dispose();
}
