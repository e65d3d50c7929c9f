using CaseFlow.Domain.Catalogue;

namespace CaseFlow.Domain.BackOffice;

/// <summary>
/// 一件事一次办 at receipt: one application for several items. The case is received under a definition composed
/// from the bundle — its name, combined promised limit and joint statutory limit, the items' checklists merged.
/// </summary>
public static class BundleChecklist
{
    public static ServiceItemDefinition Compose(BundleDefinition bundle, IReadOnlyList<BundlePart> parts)
    {
        var items = parts.Select(p => p.Definition).ToList();
        var materials = new List<Material>();
        foreach (var item in items)
        {
            foreach (var m in item.Materials)
            {
                // A material the items share (same code, same name: 申请表, 身份证) is asked for once; a different
                // material under a code another item also uses is told apart by its item.
                var same = materials.FirstOrDefault(x => x.Code == m.Code);
                if (same is null)
                    materials.Add(m);
                else if (same.Name != m.Name)
                    materials.Add(m with { Code = $"{item.ImplementationCode.Split('-')[^1]}/{m.Code}", Name = $"{m.Name}（{item.Name}）" });
                else if (m.Required && !same.Required || m.Key && !same.Key)
                    materials[materials.IndexOf(same)] = same with { Required = same.Required || m.Required, Key = same.Key || m.Key };
            }
        }
        var lead = items.FirstOrDefault(i => CaseFlow.Domain.Acceptance.CaseFile.DepartmentOf(i) == bundle.LeadDepartmentId) ?? items[0];
        return new ServiceItemDefinition(
            bundle.Code, bundle.Code, bundle.Name, "20", lead.Category,
            items.Min(i => i.AcceptanceLevel),
            items.Min(i => i.DecisionLevel), items.All(i => i.AgentMaySubmit), CaseKind.Promised,
            bundle.JointStatutoryLimitWorkingDays, bundle.CombinedPromisedLimitWorkingDays, materials,
            [bundle.LeadDepartmentId, .. bundle.CoDepartmentIds], [], items.Sum(i => i.FeeYuan),
            "《中华人民共和国行政许可法》第二十六条（联合办理）；" + string.Join("；", items.Select(i => i.LegalBasis).Distinct()));
    }
}
