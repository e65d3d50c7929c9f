using CaseFlow.Domain.Organisation;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Persistence.Organisation;

/// <summary>Inline: centres, departments, windows, posts and absences as plain tables.</summary>
public sealed class OrganisationProjection : IProjection
{
    public string Name => "organisation";

    public IReadOnlyList<string> Tables => ["cf_centres", "cf_departments", "cf_windows", "cf_posts", "cf_absences", "cf_staff"];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        switch (e.Data)
        {
            case ServiceCentreEstablished c:
                w.Execute($"INSERT INTO {w.Table("cf_centres")} (centre_id, centre_code, name, region_code, region_name, region_level, parent_code, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    c.CentreId, c.CentreCode, c.Name, c.Region.Code, c.Region.Name, (int)c.Region.Level, c.Region.ParentCode, e.Version);
                break;
            case DepartmentStationed d:
                w.Execute($"INSERT INTO {w.Table("cf_departments")} (centre_id, department_id, name) VALUES ($1, $2, $3)", d.CentreId, d.DepartmentId, d.Name);
                w.Execute($"UPDATE {w.Table("cf_centres")} SET version = $2 WHERE centre_id = $1", d.CentreId, e.Version);
                break;
            case WindowOpened o:
                w.Execute($"INSERT INTO {w.Table("cf_windows")} (window_id, centre_id, number, kind, category, accepted_categories, accepted_item_codes) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    o.WindowId, o.CentreId, o.Number, o.Kind.ToString(), o.Category, o.AcceptedCategories.ToArray(), o.AcceptedItemCodes.ToArray());
                w.Execute($"UPDATE {w.Table("cf_centres")} SET version = $2 WHERE centre_id = $1", o.CentreId, e.Version);
                break;
            case StaffRegistered r:
                w.Execute($"INSERT INTO {w.Table("cf_staff")} (staff_id, name, role, unit_id, unit_name, centre_id, department_id, registered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    r.StaffId, r.Name, r.Role.ToString(), r.UnitId, r.UnitName, r.CentreId, r.DepartmentId, r.RegisteredAt);
                break;
            case PostCreated p:
                w.Execute($"INSERT INTO {w.Table("cf_posts")} (post_id, centre_id, name, a_holder_id, a_holder_name, b_holder_id, b_holder_name) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    p.PostId, p.CentreId, p.Name, p.AHolderId, p.AHolderName, p.BHolderId, p.BHolderName);
                break;
            case AbsenceDeclared a:
                w.Execute($"INSERT INTO {w.Table("cf_absences")} (absence_id, post_id, holder_id, whereabouts, from_at, to_at, note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    a.AbsenceId, a.PostId, a.HolderId, a.Whereabouts.ToString(), a.From, a.To, a.Note);
                break;
        }
    }
}
