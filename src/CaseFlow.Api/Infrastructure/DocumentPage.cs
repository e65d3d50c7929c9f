using System.Globalization;
using System.Net;
using System.Text;
using CaseFlow.Domain.Acceptance;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// A document as a Chinese A4 page the window prints from the browser (DOMAIN.md §7): centre name, title,
/// document number, body, material table, commitment, clerk, seal and date; notices carry the applicant's stub.
/// Every value is HTML-encoded.
/// </summary>
public static class DocumentPage
{
    private const string Style =
        """
        @page { size: A4; margin: 25mm 20mm; }
        body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.8; color: #000; max-width: 170mm; margin: 0 auto; }
        h1 { text-align: center; font-size: 22pt; letter-spacing: 0.3em; margin: 0.2em 0; }
        .centre { text-align: center; font-size: 16pt; }
        .number { text-align: right; }
        p { text-indent: 2em; margin: 0.4em 0; }
        p.salutation { text-indent: 0; }
        table { width: 100%; border-collapse: collapse; margin: 0.6em 0; }
        th, td { border: 1px solid #000; padding: 2pt 4pt; font-size: 11pt; vertical-align: top; }
        .signature { margin-top: 2em; text-align: right; }
        .seal { display: inline-block; border: 2px solid #c00; color: #c00; border-radius: 50%; padding: 1.2em 0.8em; font-size: 10pt; }
        .stub { margin-top: 2em; border-top: 1px dashed #000; padding-top: 0.6em; }
        .meta { font-size: 10.5pt; }
        @media print { .noprint { display: none; } }
        """;

    public static string Render(CaseDocument d)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>").Append(E(d.Title)).Append(' ').Append(E(d.Number))
            .Append("</title><style>").Append(Style).Append("</style></head><body>");
        h.Append("<div class=\"centre\">").Append(E(d.CentreName)).Append("</div>");
        h.Append("<h1>").Append(E(d.Title)).Append("</h1>");
        h.Append("<div class=\"number\">文号：").Append(E(d.Number)).Append("</div>");
        h.Append("<div class=\"meta\">办件编号：").Append(E(d.CaseNumber)).Append("　事项：").Append(E(d.ItemName)).Append("　申请人：").Append(E(d.ApplicantName)).Append("</div>");

        for (var i = 0; i < d.Paragraphs.Count; i++)
        {
            h.Append(i == 0 ? "<p class=\"salutation\">" : "<p>").Append(E(d.Paragraphs[i])).Append("</p>");
            // The material table follows the paragraph that introduces it.
            if (i == 1 && d.Materials.Count > 0)
                AppendMaterials(h, d);
        }

        if (d.Commitment is { } commitment)
        {
            h.Append("<p class=\"salutation\"><strong>申请人承诺：</strong></p><p>").Append(E(commitment)).Append("</p>");
            h.Append("<p class=\"salutation\">申请人（签字）：").Append(E(d.ApplicantName)).Append("　　　　　　日期：</p>");
        }

        h.Append("<div class=\"signature\"><div>经办人：").Append(E(d.ClerkName)).Append("</div>");
        h.Append("<div>").Append(E(d.CentreName)).Append("</div>");
        h.Append("<div class=\"seal\">").Append(E(d.Seal)).Append("</div>");
        h.Append("<div>").Append(E(d.IssuedOn.ToString("yyyy年M月d日", CultureInfo.InvariantCulture))).Append("</div></div>");

        if (d.HasApplicantStub)
        {
            h.Append("<div class=\"stub\"><strong>回　执</strong>（申请人签收后由窗口留存）<br>");
            h.Append("文号：").Append(E(d.Number)).Append("　办件编号：").Append(E(d.CaseNumber)).Append("<br>");
            h.Append("本人已收到").Append(E(d.Title)).Append("，知悉上述内容。<br>");
            h.Append("申请人：").Append(E(d.ApplicantName)).Append("　　签收：＿＿＿＿＿＿　　日期：＿＿＿＿＿＿<br>");
            h.Append("经办人：").Append(E(d.ClerkName)).Append("</div>");
        }
        h.Append("<p class=\"noprint salutation\"><button onclick=\"window.print()\">打印</button></p>");
        h.Append("</body></html>");
        return h.ToString();
    }

    private static void AppendMaterials(StringBuilder h, CaseDocument d)
    {
        var hasReason = d.Materials.Any(m => m.Reason is not null);
        var hasDue = d.Materials.Any(m => m.DueOn is not null);
        h.Append("<table><thead><tr><th>序号</th><th>材料名称</th><th>情况</th>");
        if (hasReason)
            h.Append("<th>原因</th><th>依据</th>");
        if (hasDue)
            h.Append("<th>补交期限</th>");
        h.Append("</tr></thead><tbody>");
        var n = 0;
        foreach (var m in d.Materials)
        {
            h.Append("<tr><td>").Append(++n).Append("</td><td>").Append(E(m.Name)).Append("</td><td>").Append(E(m.Status)).Append("</td>");
            if (hasReason)
                h.Append("<td>").Append(E(m.Reason ?? "")).Append("</td><td>").Append(E(m.LegalBasis ?? "")).Append("</td>");
            if (hasDue)
                h.Append("<td>").Append(E(m.DueOn?.ToString("yyyy年M月d日", CultureInfo.InvariantCulture) ?? "")).Append("</td>");
            h.Append("</tr>");
        }
        h.Append("</tbody></table>");
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
