using CaseFlow.Domain.Inquiries;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Outbox;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Persistence.Inquiries;

/// <summary>Inline: the owner's worklist of first inquiries (open ones first), one row per inquiry.</summary>
public sealed class InquiryWorklistProjection : IProjection
{
    public const string Table = "cf_inquiry_worklist";

    public string Name => "inquiry_worklist";

    public IReadOnlyList<string> Tables => [Table];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        var t = w.Table(Table);
        switch (e.Data)
        {
            case InquiryRegistered r:
                w.Execute(
                    $"INSERT INTO {t} (inquiry_id, owner_id, owner_name, centre_id, enquirer_name, topic, service_item, channel, status, registered_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'Open', $9, $10)",
                    r.InquiryId, r.OwnerId, r.OwnerName, r.CentreId, r.EnquirerName, r.Topic, r.ServiceItemCode, r.Channel.ToString(), r.RegisteredAt, e.Version);
                break;
            case InquiryAnswered a:
                w.Execute($"UPDATE {t} SET status = 'Answered', closed_at = $2, version = $3 WHERE inquiry_id = $1", a.InquiryId, a.AnsweredAt, e.Version);
                break;
            case InquiryReferred f:
                w.Execute($"UPDATE {t} SET status = 'Referred', closed_at = $2, version = $3 WHERE inquiry_id = $1", f.InquiryId, f.ReferredAt, e.Version);
                break;
            case InquiryTakenInAsCase c:
                w.Execute($"UPDATE {t} SET status = 'TakenIn', closed_at = $2, version = $3 WHERE inquiry_id = $1", c.InquiryId, c.TakenInAt, e.Version);
                break;
        }
    }
}

/// <summary>
/// Async: the 首问 part of the accountability ledger (issue 8), per person and month (Beijing time): inquiries
/// owned, answered, referred, and referrals that named no target.
/// </summary>
public sealed class InquiryLedgerProjection : IProjection
{
    public const string Table = "cf_ledger_inquiries";

    public string Name => "ledger_inquiries";

    public IReadOnlyList<string> Tables => [Table];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        switch (e.Data)
        {
            case InquiryRegistered r:
                Bump(w, r.OwnerId, r.OwnerName, r.RegisteredAt, "inquiries_owned", 1);
                break;
            case InquiryAnswered a:
                Bump(w, a.AnsweredById, a.AnsweredByName, a.AnsweredAt, "inquiries_answered", 1);
                break;
            case InquiryReferred f:
                Bump(w, f.ReferredById, f.ReferredByName, f.ReferredAt, "inquiries_referred", 1);
                if (f.WithoutNamedTarget)
                    Bump(w, f.ReferredById, f.ReferredByName, f.ReferredAt, "referrals_without_target", 1);
                break;
        }
    }

    private static void Bump(ProjectionWriter w, string personId, string personName, DateTimeOffset at, string column, int by)
    {
        var month = Domain.Calendar.WorkingCalendar.BeijingMonth(at);
        var t = w.Table(Table);
        w.Execute(
            $"INSERT INTO {t} (person_id, month, person_name, {column}) VALUES ($1, $2, $3, $4) ON CONFLICT (person_id, month) DO UPDATE SET {column} = {t}.{column} + EXCLUDED.{column}, person_name = EXCLUDED.person_name",
            personId, month, personName, by);
    }
}

/// <summary>A referral with a named person tells that person (staff notification) through the outbox.</summary>
public sealed class InquiryNotifications : IOutboxPolicy
{
    public IEnumerable<OutboxMessage> MessagesFor(EventEnvelope e)
    {
        if (e.Data is InquiryReferred { TargetPersonId: { Length: > 0 } target } f)
        {
            yield return OutboxMessage.For(e, OutboxMessage.Kinds.Staff, target, "inquiry_referred_to_you",
                new Dictionary<string, string> { ["inquiryId"] = f.InquiryId.ToString(), ["from"] = f.ReferredByName, ["reason"] = f.Reason });
        }
    }
}
