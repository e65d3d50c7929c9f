using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CaseFlow.Persistence.Telemetry;

/// <summary>
/// CaseFlow's own ActivitySource and Meter (STYLE.md §12): a span per command, store append and read spans,
/// projection and outbox metrics. Tag names are constants; no tag ever carries personal data.
/// </summary>
public static class CaseFlowTelemetry
{
    public const string SourceName = "CaseFlow";

    public static readonly ActivitySource Source = new(SourceName);
    public static readonly Meter Meter = new(SourceName);

    public static readonly Counter<long> CommandsHandled = Meter.CreateCounter<long>("caseflow.commands", description: "Commands handled, by command and outcome");
    public static readonly Histogram<double> CommandDuration = Meter.CreateHistogram<double>("caseflow.command.duration", "ms", "Command pipeline duration");
    public static readonly Counter<long> EventsAppended = Meter.CreateCounter<long>("caseflow.events.appended", description: "Events appended to the store");
    public static readonly Counter<long> OutboxSent = Meter.CreateCounter<long>("caseflow.outbox.sent", description: "Outbox messages delivered");
    public static readonly Counter<long> OutboxFailed = Meter.CreateCounter<long>("caseflow.outbox.failed", description: "Outbox delivery attempts that failed");

    public static class Tags
    {
        public const string Command = "caseflow.command";
        public const string Outcome = "caseflow.outcome";
        public const string StreamKind = "caseflow.stream.kind";
        public const string StreamId = "caseflow.stream.id";
        public const string EventCount = "caseflow.events.count";
        public const string Projection = "caseflow.projection";
        public const string ActorRole = "caseflow.actor.role";
    }
}
