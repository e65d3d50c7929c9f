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
        ("organisation.service_centre_established.v1", typeof(Organisation.ServiceCentreEstablished)),
        ("organisation.department_stationed.v1", typeof(Organisation.DepartmentStationed)),
        ("organisation.window_opened.v1", typeof(Organisation.WindowOpened)),
        ("organisation.staff_registered.v1", typeof(Organisation.StaffRegistered)),
        ("organisation.post_created.v1", typeof(Organisation.PostCreated)),
        ("organisation.absence_declared.v1", typeof(Organisation.AbsenceDeclared)),
    ];

    private static readonly FrozenDictionary<string, Type> ByName = Entries.ToFrozenDictionary(e => e.Name, e => e.Type);

    public static IEnumerable<(string Name, Type Type)> All => Entries;


    public static Type? TypeOf(string name) => ByName.GetValueOrDefault(name);
}
