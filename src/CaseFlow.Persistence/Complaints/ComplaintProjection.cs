using CaseFlow.Domain.Complaints;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Outbox;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Persistence.Complaints;

/// <summary>Inline: one row per complaint (投诉举报, issue 17) — the supervisors' list, the single view and the sweeper's watch.</summary>
public sealed class ComplaintProjection : IProjection
{
    public const string Table = "cf_complaints";

    public string Name => "complaints";

    public IReadOnlyList<string> Tables => [Table];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        var t = w.Table(Table);
        switch (e.Data)
        {
            case ComplaintRegistered r:
                w.Execute(
                    $"""
                    INSERT INTO {t} (complaint_id, centre_id, region_code, source, against, target_id, target_name, department_id, case_id, facts, anonymous,
                        complainant_name, complainant_phone, supervisor_id, supervisor_name, answer_due, status, registered_by, registered_at, version, user_version)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid, $10, $11, $12, $13, $14, $15, $16, 'Open', $17, $18, $19, 1)
                    """,
                    r.ComplaintId, r.CentreId, r.RegionCode, r.Source.ToString(), r.Against.ToString(), r.TargetId, r.TargetName, r.DepartmentId, r.CaseId, r.Facts, r.Anonymous,
                    r.ComplainantName, r.ComplainantPhone, r.AssignedSupervisorId, r.AssignedSupervisorName, r.AnswerDue.Day, r.RegisteredByName, r.RegisteredAt, e.Version);
                break;
            case ComplaintAnswered a:
                w.Execute($"UPDATE {t} SET status = 'Answered', finding = $2, answer = $3, answered_at = $4, late = $5, version = $6, user_version = user_version + 1 WHERE complaint_id = $1",
                    a.ComplaintId, a.Finding.ToString(), a.Answer, a.AnsweredAt, a.Late, e.Version);
                break;
            case ComplaintAccountabilityRecorded x:
                w.Execute($"UPDATE {t} SET measure = $2, version = $3, user_version = user_version + 1 WHERE complaint_id = $1", x.ComplaintId, x.Measure.ToString(), e.Version);
                break;
            case ComplaintReturnVisitRecorded v:
                w.Execute($"UPDATE {t} SET satisfaction = $2, visited_at = $3, version = $4, user_version = user_version + 1 WHERE complaint_id = $1", v.ComplaintId, v.Satisfaction.ToString(), v.VisitedAt, e.Version);
                break;
            case ComplaintAnswerWarningRaised y:
                w.Execute($"UPDATE {t} SET version = $2 WHERE complaint_id = $1", y.ComplaintId, e.Version);
                break;
            case ComplaintAnswerWentOverdue o:
                w.Execute($"UPDATE {t} SET version = $2 WHERE complaint_id = $1", o.ComplaintId, e.Version);
                break;
        }
    }
}

/// <summary>
/// Staff told through the outbox: the assigned supervisor of a new complaint and of its yellow and red light. Only ids
/// and dates travel — never the complainant's name or phone, nor the facts.
/// </summary>
public sealed class ComplaintNotifications : IOutboxPolicy
{
    public IEnumerable<OutboxMessage> MessagesFor(EventEnvelope e)
    {
        switch (e.Data)
        {
            case ComplaintRegistered r:
                yield return Staff(e, r.AssignedSupervisorId, "complaint_assigned", r.ComplaintId, r.AnswerDue.Day);
                break;
            case ComplaintAnswerWarningRaised y:
                yield return Staff(e, y.HolderId, "complaint_yellow", y.ComplaintId, y.DueOn);
                break;
            case ComplaintAnswerWentOverdue o:
                yield return Staff(e, o.HolderId, "complaint_red", o.ComplaintId, o.DueOn);
                break;
        }
    }

    private static OutboxMessage Staff(EventEnvelope e, string recipient, string template, Guid complaintId, DateOnly dueOn) =>
        OutboxMessage.For(e, OutboxMessage.Kinds.Staff, recipient, template, new Dictionary<string, string>
        {
            ["complaintId"] = complaintId.ToString(), ["dueOn"] = dueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        });
}
