using CaseFlow.Domain.OnlineSubmission;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Outbox;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Persistence.OnlineSubmission;

/// <summary>
/// Inline: one row per online submission (issue 17) — which case it became, at which centre, when it arrived and
/// the last outcome the platform was told. The centre's 预审 queue reads it with the case's row (<c>cf_cases</c>).
/// </summary>
public sealed class OnlineSubmissionProjection : IProjection
{
    public const string Table = "cf_online_submissions";

    public string Name => "online_submissions";

    public IReadOnlyList<string> Tables => [Table];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        var t = w.Table(Table);
        switch (e.Data)
        {
            case OnlineSubmissionReceived r:
                w.Execute(
                    $"""
                    INSERT INTO {t} (submission_stream_id, platform_id, submission_id, case_id, case_number, centre_id, window_id, materials,
                        submitted_at, received_at, version)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                    """,
                    r.SubmissionStreamId, r.PlatformId, r.SubmissionId, r.CaseId, r.CaseNumber, r.CentreId, r.WindowId, r.MaterialCount,
                    r.SubmittedAt, r.ReceivedAt, e.Version);
                return;
            case OnlineOutcomeRecorded o:
                w.Execute($"UPDATE {t} SET last_outcome = $2, outcome_at = $3, version = $4 WHERE submission_stream_id = $1",
                    o.SubmissionStreamId, o.Outcome.ToString(), o.RecordedAt, e.Version);
                return;
        }
    }
}

/// <summary>
/// What the platform and the applicant are told (issue 17), through the same Wolverine outbox and gateway as every
/// notification (<c>contracts/gateway/</c>, <c>contracts/online/</c>): the platform (kind <c>platform</c>, recipient
/// <c>platform:&lt;id&gt;</c>) of the receipt and of every acceptance outcome; the applicant of the receipt and of a
/// rejection (acceptance and notices reach the applicant through <see cref="Deadlines.CaseNotifications"/> as for
/// every case). Pure over the event; no personal data in the parameters.
/// </summary>
public sealed class OnlineSubmissionNotifications : IOutboxPolicy
{
    public const string Kind = "platform";

    public IEnumerable<OutboxMessage> MessagesFor(EventEnvelope e)
    {
        switch (e.Data)
        {
            case OnlineSubmissionReceived r:
                yield return OutboxMessage.For(e, Kind, $"platform:{r.PlatformId}", "online_submission_received", new Dictionary<string, string>
                {
                    ["submissionId"] = r.SubmissionId, ["caseId"] = r.CaseId.ToString(), ["caseNumber"] = r.CaseNumber, ["receivedAt"] = r.ReceivedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                });
                yield return OutboxMessage.For(e, OutboxMessage.Kinds.Applicant, $"applicant:{r.CaseId}", "online_submission_received",
                    new Dictionary<string, string> { ["caseNumber"] = r.CaseNumber });
                break;
            case OnlineOutcomeRecorded o:
                var parameters = new Dictionary<string, string>
                {
                    ["submissionId"] = o.SubmissionId, ["caseId"] = o.CaseId.ToString(), ["caseNumber"] = o.CaseNumber, ["outcome"] = o.Outcome.ToString(),
                };
                if (o.DocumentNumber is { } document)
                    parameters["documentNumber"] = document;
                if (o.Detail is { } detail)
                    parameters["detail"] = detail;
                yield return OutboxMessage.For(e, Kind, $"platform:{o.PlatformId}", "online_submission_outcome", parameters);
                if (o.Outcome == OnlineOutcome.Rejected)
                {
                    // At the counter the applicant is handed the 不予受理决定书; online, nobody is there to hand it to.
                    yield return OutboxMessage.For(e, OutboxMessage.Kinds.Applicant, $"applicant:{o.CaseId}", "case_rejected",
                        new Dictionary<string, string> { ["caseNumber"] = o.CaseNumber, ["documentNumber"] = o.DocumentNumber ?? "", ["reason"] = o.Detail ?? "" });
                }
                break;
        }
    }
}
