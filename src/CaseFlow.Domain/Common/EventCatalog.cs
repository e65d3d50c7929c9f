using System.Collections.Frozen;

namespace CaseFlow.Domain.Common;

/// <summary>
/// The one registry of persisted event names (STYLE.md §3): explicit, stable, versioned
/// (<c>inquiry.registered.v1</c>), never a CLR type name. A name, once published, is never reused for
/// another shape; a new shape gets a new version and the old one is upcast at load.
/// </summary>
public static class EventCatalog
{
    private static readonly (string Name, Type Type)[] Entries =
    [
        ("inquiry.registered.v1", typeof(Inquiries.InquiryRegistered)),
        ("inquiry.answered.v1", typeof(Inquiries.InquiryAnswered)),
        ("inquiry.referred.v1", typeof(Inquiries.InquiryReferred)),
        ("inquiry.taken_in_as_case.v1", typeof(Inquiries.InquiryTakenInAsCase)),
        ("calendar.holiday_arrangement_published.v1", typeof(Calendar.HolidayArrangementPublished)),
        ("catalogue.service_item_published.v1", typeof(Catalogue.ServiceItemPublished)),
        ("catalogue.service_item_revised.v1", typeof(Catalogue.ServiceItemRevised)),
        ("catalogue.bundle_defined.v1", typeof(Catalogue.BundleDefined)),
        ("case.received.v1", typeof(Acceptance.CaseReceived)),
        ("case.number_assigned.v1", typeof(Acceptance.CaseNumberAssigned)),
        ("case.agent_submission_recorded.v1", typeof(Acceptance.AgentSubmissionRecorded)),
        ("case.one_time_notice_issued.v1", typeof(Acceptance.OneTimeNoticeIssued)),
        ("case.repeat_notice_recorded.v1", typeof(Acceptance.RepeatNoticeRecorded)),
        ("case.materials_supplemented.v1", typeof(Acceptance.MaterialsSupplemented)),
        ("case.accepted.v1", typeof(Acceptance.CaseAccepted)),
        ("case.accepted_with_deficiency.v1", typeof(Acceptance.CaseAcceptedWithDeficiency)),
        ("case.deficiency_cleared.v1", typeof(Acceptance.DeficiencyCleared)),
        ("case.deemed_accepted.v1", typeof(Acceptance.CaseDeemedAccepted)),
        ("case.rejected.v1", typeof(Acceptance.CaseRejected)),
        ("case.terminated.v1", typeof(Acceptance.CaseTerminated)),
        ("case.completed_on_the_spot.v1", typeof(Acceptance.CaseCompletedOnTheSpot)),
        ("case.bundle_composed.v1", typeof(BackOffice.BundleCaseComposed)),
        ("case.dispatched.v1", typeof(BackOffice.CaseDispatched)),
        ("case.claimed.v1", typeof(BackOffice.CaseClaimed)),
        ("case.step_completed.v1", typeof(BackOffice.StepCompleted)),
        ("case.part_resubmitted.v1", typeof(BackOffice.PartResubmitted)),
        ("case.clock_suspended.v1", typeof(BackOffice.ClockSuspended)),
        ("case.clock_resumed.v1", typeof(BackOffice.ClockResumed)),
        ("case.correction_requested.v1", typeof(BackOffice.CorrectionRequested)),
        ("case.extended.v1", typeof(BackOffice.CaseExtended)),
        ("case.part_reassigned.v1", typeof(BackOffice.PartReassigned)),
        ("case.part_decided.v1", typeof(BackOffice.PartDecided)),
        ("case.decided.v2", typeof(BackOffice.CaseDecided)),
        ("case.result_registered.v1", typeof(BackOffice.ResultRegistered)),
        ("case.result_sent_to_window.v1", typeof(BackOffice.ResultSentToWindow)),
        ("case.escalated.v1", typeof(BackOffice.CaseEscalated)),
        ("case.escalation_resolved.v1", typeof(BackOffice.EscalationResolved)),
        ("case.deadline_warning_raised.v1", typeof(Deadlines.DeadlineWarningRaised)),
        ("case.deadline_went_overdue.v1", typeof(Deadlines.DeadlineWentOverdue)),
        ("case.delivery_preference_chosen.v1", typeof(Handover.DeliveryPreferenceChosen)),
        ("case.result_handed_out.v1", typeof(Handover.ResultHandedOut)),
        ("case.result_mailed.v1", typeof(Handover.ResultMailed)),
        ("case.mail_delivery_recorded.v1", typeof(Handover.MailDeliveryRecorded)),
        ("case.closed.v1", typeof(Handover.CaseClosed)),
        ("case.rated.v1", typeof(Handover.ServiceRated)),
        ("case.default_rating_recorded.v1", typeof(Handover.DefaultRatingRecorded)),
        ("case.rectification_opened.v1", typeof(Handover.RectificationOpened)),
        ("case.return_visit_recorded.v1", typeof(Handover.ReturnVisitRecorded)),
        ("case.rectification_completed.v1", typeof(Handover.RectificationCompleted)),
        ("case.rating_voided.v1", typeof(Handover.RatingVoided)),
        ("pickup.result_delivered_to_window.v1", typeof(Handover.ResultDeliveredToWindow)),
        ("pickup.reminder_sent.v1", typeof(Handover.PickupReminderSent)),
        ("pickup.completed.v1", typeof(Handover.PickupCompleted)),
        ("warning.rules_published.v1", typeof(Deadlines.WarningRulesPublished)),
        ("case.supervision_ordered.v1", typeof(Supervision.SupervisionOrdered)),
        ("case.supervision_answered.v1", typeof(Supervision.SupervisionAnswered)),
        ("case.supervision_escalated.v1", typeof(Supervision.SupervisionEscalated)),
        ("case.accountability_opened.v1", typeof(Supervision.AccountabilityOpened)),
        ("case.accountability_concluded.v1", typeof(Supervision.AccountabilityConcluded)),
        ("notice.issued.v1", typeof(Acceptance.NoticeIssued)),
        ("notice.stub_signed.v1", typeof(Acceptance.NoticeStubSigned)),
        ("notice.corrections_received.v1", typeof(Acceptance.NoticeCorrectionsReceived)),
        ("notice.closed.v1", typeof(Acceptance.NoticeClosed)),
        ("organisation.service_centre_established.v1", typeof(Organisation.ServiceCentreEstablished)),
        ("organisation.department_stationed.v1", typeof(Organisation.DepartmentStationed)),
        ("organisation.window_opened.v1", typeof(Organisation.WindowOpened)),
        ("organisation.staff_registered.v1", typeof(Organisation.StaffRegistered)),
        ("organisation.post_created.v1", typeof(Organisation.PostCreated)),
        ("organisation.absence_declared.v1", typeof(Organisation.AbsenceDeclared)),
        ("appointment.items_published.v1", typeof(Appointments.AppointmentItemsPublished)),
        ("appointment.slots_published.v1", typeof(Appointments.AppointmentSlotsPublished)),
        ("appointment.booked.v1", typeof(Appointments.AppointmentBooked)),
        ("appointment.rescheduled.v1", typeof(Appointments.AppointmentRescheduled)),
        ("appointment.cancelled.v1", typeof(Appointments.AppointmentCancelled)),
        ("appointment.reminder_sent.v1", typeof(Appointments.AppointmentReminderSent)),
        ("appointment.attended.v1", typeof(Appointments.AppointmentAttended)),
        ("appointment.no_show_recorded.v1", typeof(Appointments.AppointmentNoShowRecorded)),
        ("case.received_by_appointment.v1", typeof(Appointments.CaseReceivedByAppointment)),
        ("case.received_at_home.v1", typeof(Appointments.CaseReceivedAtHome)),
        // 网上办 (issue 17): the case's record of its online submission, and the submission's own stream.
        ("case.online_submission_recorded.v1", typeof(OnlineSubmission.OnlineSubmissionRecorded)),
        ("online.submission_received.v1", typeof(OnlineSubmission.OnlineSubmissionReceived)),
        ("online.outcome_recorded.v1", typeof(OnlineSubmission.OnlineOutcomeRecorded)),
        ("complaint.registered.v1", typeof(Complaints.ComplaintRegistered)),
        ("complaint.answer_warning_raised.v1", typeof(Complaints.ComplaintAnswerWarningRaised)),
        ("complaint.answer_went_overdue.v1", typeof(Complaints.ComplaintAnswerWentOverdue)),
        ("complaint.answered.v1", typeof(Complaints.ComplaintAnswered)),
        ("complaint.accountability_recorded.v1", typeof(Complaints.ComplaintAccountabilityRecorded)),
        ("complaint.return_visit_recorded.v1", typeof(Complaints.ComplaintReturnVisitRecorded)),
        ("whereabouts.left_window.v1", typeof(Organisation.LeftWindow)),
        ("whereabouts.returned_to_window.v1", typeof(Organisation.ReturnedToWindow)),
        ("whereabouts.return_overdue.v1", typeof(Organisation.WindowReturnOverdue)),
    ];

    private static readonly FrozenDictionary<string, Type> ByName = Entries.ToFrozenDictionary(e => e.Name, e => e.Type);

    public static IEnumerable<(string Name, Type Type)> All => Entries;


    public static Type? TypeOf(string name) => ByName.GetValueOrDefault(name);
}
