using System.Text.Json;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Projections;

namespace CaseFlow.Persistence.Catalogue;

/// <summary>Inline: the catalogue as clerks search it, and every revision by number.</summary>
public sealed class CatalogueProjection : IProjection
{
    public const string Items = "cf_service_items";
    public const string Revisions = "cf_service_item_revisions";

    public string Name => "catalogue";

    public const string Bundles = "cf_bundles";

    public IReadOnlyList<string> Tables => [Items, Revisions, Bundles];

    public void Apply(EventEnvelope e, ProjectionWriter w)
    {
        if (e.Data is BundleDefined b)
        {
            var bd = b.Definition;
            w.Execute(
                $"INSERT INTO {w.Table(Bundles)} (bundle_id, code, name, item_codes, lead_department, co_departments, promised_limit, joint_statutory, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                b.BundleId, bd.Code, bd.Name, bd.ItemCodes.ToArray(), bd.LeadDepartmentId, bd.CoDepartmentIds.ToArray(), bd.CombinedPromisedLimitWorkingDays, bd.JointStatutoryLimitWorkingDays, e.Version);
            return;
        }

        var (id, revision, definition, at) = e.Data switch
        {
            ServiceItemPublished p => (p.ItemId, p.Revision, p.Definition, p.PublishedAt),
            ServiceItemRevised r => (r.ItemId, r.Revision, r.After, r.RevisedAt),
            _ => (Guid.Empty, 0, null!, default),
        };
        if (definition is null)
            return;
        var definitionJson = JsonSerializer.Serialize(definition, EventSerializer.Options);
        var d = definition;
        w.Execute(
            $"""
            INSERT INTO {w.Table(Items)} (item_id, implementation_code, basic_code, name, category, item_type, acceptance_level, decision_level,
                agent_may_submit, case_kind, statutory_limit, promised_limit, revision, definition, updated_at, version)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, $16)
            ON CONFLICT (item_id) DO UPDATE SET basic_code = EXCLUDED.basic_code, name = EXCLUDED.name, category = EXCLUDED.category,
                item_type = EXCLUDED.item_type, acceptance_level = EXCLUDED.acceptance_level, decision_level = EXCLUDED.decision_level,
                agent_may_submit = EXCLUDED.agent_may_submit, case_kind = EXCLUDED.case_kind, statutory_limit = EXCLUDED.statutory_limit,
                promised_limit = EXCLUDED.promised_limit, revision = EXCLUDED.revision, definition = EXCLUDED.definition,
                updated_at = EXCLUDED.updated_at, version = EXCLUDED.version
            """,
            id, d.ImplementationCode, d.BasicCode, d.Name, d.Category, d.ItemType, d.AcceptanceLevel.ToString(), d.DecisionLevel.ToString(),
            d.AgentMaySubmit, d.CaseKind.ToString(), d.StatutoryLimitWorkingDays, d.PromisedLimitWorkingDays, revision, definitionJson, at, e.Version);
        w.Execute($"INSERT INTO {w.Table(Revisions)} (item_id, revision, definition, valid_from) VALUES ($1, $2, $3::jsonb, $4)", id, revision, definitionJson, at);
    }
}
