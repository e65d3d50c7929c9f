using System.Globalization;
using CaseFlow.Domain.Calendar;

namespace CaseFlow.Domain.Acceptance;

/// <summary>One row of a document's material table.</summary>
public sealed record DocumentMaterial(string Code, string Name, string Status, string? Reason, string? LegalBasis, DateOnly? DueOn);

/// <summary>
/// A document as printed (DOMAIN.md §7): title, number, centre, seal, case number, date, the applicant's and the
/// clerk's names, the body and — where it has one — the table of materials and the applicant's commitment.
/// Built only from the case's events, so a reprint is always the same document.
/// </summary>
public sealed record CaseDocument(
    DocumentKind Kind,
    string Title,
    string Number,
    string CentreName,
    string Seal,
    string CaseNumber,
    DateOnly IssuedOn,
    string ApplicantName,
    string ItemName,
    string ClerkName,
    IReadOnlyList<string> Paragraphs,
    IReadOnlyList<DocumentMaterial> Materials,
    string? Commitment,
    bool HasApplicantStub);

/// <summary>The documents a case has produced at the window, in the order they were issued.</summary>
public static class CaseDocuments
{
    private const string Article32 = "《中华人民共和国行政许可法》第三十二条";

    public static IReadOnlyList<CaseDocument> For(CaseFile s)
    {
        if (s.Receipt is not { } r)
            return [];
        var docs = new List<CaseDocument>();
        var applicant = r.Applicant.Name;
        var item = r.Item.Name;
        var received = Day(WorkingCalendar.BeijingDate(r.ReceivedAt));

        foreach (var n in s.Notices)
        {
            docs.Add(new CaseDocument(DocumentKind.OneTimeNotice, "一次性告知书", n.Document.Number, n.Document.CentreName, n.Document.Seal, s.Number!, n.Document.IssuedOn,
                applicant, item, n.IssuedByName,
                [
                    $"{applicant}：",
                    $"你（单位）于{received}申请办理的“{item}”，经审查，申请材料不齐全或者不符合法定形式。根据{Article32}第一款第（四）项的规定，现将需要补正的全部内容一次性告知如下（共 {n.Items.Count} 项）：",
                    n.Procedure.Length > 0 ? n.Procedure : $"本事项已受理，审查中发现上述材料需要补正。请到{n.Document.CentreName}综合窗口提交补正材料；自本告知书出具之日起至补正材料齐全之日止，不计入办理时限。",
                    $"本事项承诺办结时限为 {r.Item.PromisedLimitWorkingDays} 个工作日（法定办结时限 {r.Item.StatutoryLimitWorkingDays} 个工作日），按工作日计算，自受理之日的次日起算。",
                    "本告知书一式两份，申请人与窗口各执一份；除首次告知后新提交的材料外，窗口不再就本次申请要求补正其他材料。",
                ],
                n.Items.Select(i => new DocumentMaterial(i.Code, i.Name, i.Problem == MaterialProblem.Missing ? "缺少" : "不符合要求", i.Reason, i.LegalBasis, null)).ToList(),
                null, HasApplicantStub: true));
        }

        if (s.Acceptance is { } a)
            docs.Add(AcceptanceNotice(s, a.Document, a.AcceptedOn, a.PromisedDue, a.StatutoryDue, a.AcceptedByName,
                a.Route == AcceptanceRoute.AfterCorrections
                    ? $"你（单位）于{received}申请办理的“{item}”，补正材料已于{Day(a.AcceptedOn)}全部提交，申请材料齐全、符合法定形式。根据{Article32}的规定，决定自{Day(a.AcceptedOn)}起予以受理。"
                    : $"你（单位）于{received}申请办理的“{item}”，申请材料齐全、符合法定形式。根据{Article32}的规定，决定予以受理。"));

        if (s.Deemed is { } d)
            docs.Add(AcceptanceNotice(s, d.Document, d.AcceptedOn, d.PromisedDue, d.StatutoryDue, "（系统记录）",
                $"你（单位）于{received}申请办理的“{item}”，本中心未在收到申请材料之日起五个工作日内（{Day(d.NoticePeriod.Day)}前）告知补正。根据{Article32}第一款第（四）项的规定，自收到申请材料之日（{Day(d.AcceptedOn)}）起即为受理。"));

        if (s.DeficiencyAcceptance is { } w)
        {
            docs.Add(new CaseDocument(DocumentKind.DeficiencyAcceptanceNotice, "容缺受理通知书", w.Document.Number, w.Document.CentreName, w.Document.Seal, s.Number!, w.Document.IssuedOn,
                applicant, item, w.AcceptedByName,
                [
                    $"{applicant}：",
                    $"你（单位）于{received}申请办理的“{item}”，主要申请材料齐全、符合法定形式，次要材料暂缺。根据容缺受理制度，决定自{Day(w.AcceptedOn)}起容缺受理。",
                    $"本事项承诺办结时限为 {r.Item.PromisedLimitWorkingDays} 个工作日，承诺办结日为{Day(w.PromisedDue.Day)}；法定办结日为{Day(w.StatutoryDue.Day)}。",
                    "请按下表所列期限补齐容缺材料。材料补齐前不予发放办理结果；逾期未补齐的，依承诺终止办理。",
                ],
                w.Deficiencies.Select(x => new DocumentMaterial(x.Code, x.Name, "容缺待补", null, null, x.DueOn)).ToList(),
                w.Commitment, HasApplicantStub: true));
        }

        if (s.Rejection is { } x)
        {
            var paragraphs = new List<string>
            {
                $"{applicant}：",
                $"你（单位）于{received}申请办理的“{item}”，经审查，{x.Reason}。根据{x.LegalBasis}的规定，决定不予受理。",
            };
            if (x.NotCompetent)
                paragraphs.Add($"该申请事项不属于本机关职权范围，请向{x.CompetentBody}申请。");
            paragraphs.Add($"如不服本决定，可以自收到本决定书之日起六十日内向{x.ReconsiderationBody}申请行政复议，或者自收到本决定书之日起六个月内向{x.Court}提起行政诉讼。");
            docs.Add(new CaseDocument(DocumentKind.NonAcceptanceDecision, "不予受理决定书", x.Document.Number, x.Document.CentreName, x.Document.Seal, s.Number!, x.Document.IssuedOn,
                applicant, item, x.RejectedByName, paragraphs, [], null, HasApplicantStub: false));
        }

        foreach (var sus in s.Work.Suspensions)
        {
            docs.Add(new CaseDocument(DocumentKind.SuspensionNotice, "特别程序告知书", sus.Notice.Number, sus.Notice.CentreName, sus.Notice.Seal, s.Number!, sus.Notice.IssuedOn,
                applicant, item, sus.ByName,
                [
                    $"{applicant}：",
                    $"你（单位）申请办理的“{item}”（办件编号 {s.Number}），因需要{BackOffice.BackOfficeDecider.NameOf(sus.Procedure)}（{sus.Reason}），根据《中华人民共和国行政许可法》第四十五条的规定，自{Day(sus.Notice.IssuedOn)}起中止计算办理时限，所需时间不计算在办理时限内。特别程序结束后恢复计时，届时另行告知。",
                ],
                [], null, HasApplicantStub: true));
        }

        if (s.Work.Extension is { } ext)
        {
            docs.Add(new CaseDocument(DocumentKind.ExtensionNotice, "延期办理告知书", ext.Notice.Number, ext.Notice.CentreName, ext.Notice.Seal, s.Number!, ext.Notice.IssuedOn,
                applicant, item, ext.ApprovedByName,
                [
                    $"{applicant}：",
                    $"你（单位）申请办理的“{item}”（办件编号 {s.Number}），因{ext.Reason}，不能在规定期限内作出决定。经本机关负责人批准，根据《中华人民共和国行政许可法》第四十二条的规定，办理期限延长 {ext.WorkingDays} 个工作日，承诺办结日延至{Day(ext.PromisedDue.Day)}，法定办结日延至{Day(ext.StatutoryDue.Day)}。",
                ],
                [], null, HasApplicantStub: false));
        }

        foreach (var pd in s.Work.PartDecisions)
        {
            var part = s.Work.Part(pd.PartId)!;
            var paragraphs = new List<string> { $"{applicant}：" };
            if (pd.Approved)
            {
                paragraphs.Add($"你（单位）申请办理的“{part.Plan.ItemName}”（办件编号 {s.Number}），经审查，符合法定条件、标准。根据{part.Plan.DepartmentName}的审查意见，决定准予办理。");
                paragraphs.Add($"审查意见：{pd.Opinion}");
                if (part.Results.Count > 0)
                    paragraphs.Add($"办理结果：{string.Join("；", part.Results.Select(r => $"{r.Kind} {r.Number}" + (r.ValidUntil is { } until ? $"（有效期至{Day(until)}）" : "")))}，加盖{part.SealId}。");
            }
            else
            {
                paragraphs.Add($"你（单位）申请办理的“{part.Plan.ItemName}”（办件编号 {s.Number}），经审查，{pd.Opinion}。根据{pd.LegalBasis}的规定，决定不予许可。");
                paragraphs.Add($"如不服本决定，可以自收到本决定书之日起六十日内向{pd.ReconsiderationBody}申请行政复议，或者自收到本决定书之日起六个月内向{pd.Court}提起行政诉讼。");
            }
            var on = WorkingCalendar.BeijingDate(pd.DecidedAt);
            docs.Add(new CaseDocument(DocumentKind.Decision, pd.Approved ? "准予许可决定书" : "不予许可决定书", $"{s.Number}-JD-{pd.PartId}", part.Plan.DecidingCentreName,
                $"{part.Plan.DecidingCentreName}审批服务专用章", s.Number!, on, applicant, part.Plan.ItemName, pd.DeciderName, paragraphs, [], null, HasApplicantStub: false));
        }

        return docs;
    }

    private static CaseDocument AcceptanceNotice(CaseFile s, DocumentStamp stamp, DateOnly acceptedOn, WorkingDeadline promised, WorkingDeadline statutory, string clerk, string decision)
    {
        var r = s.Receipt!;
        var paragraphs = new List<string>
        {
            $"{r.Applicant.Name}：",
            decision,
            r.Item.CaseKind == Catalogue.CaseKind.Immediate
                ? $"本事项为即办件，于受理当日（{Day(acceptedOn)}）办结。"
                : $"本事项承诺办结时限为 {r.Item.PromisedLimitWorkingDays} 个工作日，承诺办结日为{Day(promised.Day)}；法定办结时限为 {r.Item.StatutoryLimitWorkingDays} 个工作日，法定办结日为{Day(statutory.Day)}（期限按工作日计算，受理当日不计入）。",
            $"办件编号：{s.Number}。你可凭此编号查询办理进度。",
        };
        if (promised.Provisional || statutory.Provisional)
            paragraphs.Insert(3, "上述期限跨入节假日安排尚未公布的年度，系按预估日历计算，以国务院公布的节假日安排为准。");
        var materials = r.Item.Materials.Select(m => new DocumentMaterial(m.Code, m.Name, Label(s.StateOf(m.Code)), null, null, null)).ToList();
        return new CaseDocument(DocumentKind.AcceptanceNotice, "受理通知书", stamp.Number, stamp.CentreName, stamp.Seal, s.Number!, stamp.IssuedOn,
            r.Applicant.Name, r.Item.Name, clerk, paragraphs, materials, null, HasApplicantStub: false);
    }

    public static string Label(MaterialState state) => state switch
    {
        MaterialState.Present => "已提交",
        MaterialState.Committed => "告知承诺",
        MaterialState.NonConforming => "不符合要求",
        _ => "未提交",
    };

    private static string Day(DateOnly d) => d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
}
