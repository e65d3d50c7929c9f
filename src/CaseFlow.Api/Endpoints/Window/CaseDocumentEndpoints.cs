using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Persistence.Acceptance;
using CaseFlow.Persistence.EventStore;

namespace CaseFlow.Api.Endpoints.Window;

/// <summary>
/// The documents a case produced at the window (DOMAIN.md §7): as JSON, and as a printable Chinese A4 page.
/// Built from the case's events on every request, so a reprint is the same document.
/// </summary>
public static class CaseDocumentEndpoints
{
    public static RouteGroupBuilder MapCaseDocuments(this RouteGroupBuilder window)
    {
        var group = window.MapGroup("/cases/{id:guid}/documents").WithTags("Window · 文书");

        group.MapGet("/", async Task<IResult> (Guid id, int? limit, string? cursor, HttpContext http, IEventStore store, CaseDesk desks) =>
        {
            var (page, refused) = Paging.Read("case_documents", limit, cursor, CursorKey.Number);
            if (refused is not null)
                return refused;
            var (file, _, denied) = await CaseAccessHttp.LoadAsync(id, http, store, desks, CaseFlow.Domain.Common.CaseAccess.Read);
            if (denied is not null)
                return denied;
            // A case's documents are only ever added, in the order they were issued: the position is a stable key.
            var documents = CaseDocuments.For(file!);
            return Results.Ok(page!.PageOfAll(Enumerable.Range(0, documents.Count), i => [(long)i]).Map(i => documents[i]));
        }).WithName("ListCaseDocuments").WithSummary("办件文书 · The documents a case has produced")
            .Lists<CaseDocument>()
            .WithDescription("办件已出具的文书（受理通知书、一次性告知书、容缺受理通知书、不予受理决定书），按出具先后");

        group.MapGet("/{number}", async Task<IResult> (Guid id, string number, HttpContext http, IEventStore store, CaseDesk desks) =>
        {
            var (document, denied) = await FindAsync(id, number, http, store, desks);
            return denied ?? Results.Ok(document);
        }).WithName("GetCaseDocument").WithSummary("一份文书 · One document of a case")
            .Reads<CaseDocument>()
            .WithDescription("一份文书（JSON）：文号、中心名称、办件编号、日期、印章、正文和材料清单");

        group.MapGet("/{number}/print", async Task<IResult> (Guid id, string number, HttpContext http, IEventStore store, CaseDesk desks) =>
        {
            var (document, denied) = await FindAsync(id, number, http, store, desks);
            return denied ?? Results.Content(DocumentPage.Render(document!), "text/html; charset=utf-8");
        }).WithName("PrintCaseDocument").WithSummary("打印文书 · One document as a printable A4 page")
            .Answers("text/html", "中文 A4 打印页（HTML） · A Chinese A4 page (HTML) for the browser to print")
            .WithDescription("一份文书的 A4 打印页（HTML，浏览器直接打印）");

        return window;
    }

    private static async Task<(CaseDocument? Document, IResult? Denied)> FindAsync(Guid id, string number, HttpContext http, IEventStore store, CaseDesk desks)
    {
        var (file, _, denied) = await CaseAccessHttp.LoadAsync(id, http, store, desks, CaseFlow.Domain.Common.CaseAccess.Read);
        if (denied is not null)
            return (null, denied);
        var document = CaseDocuments.For(file!).FirstOrDefault(d => d.Number == number);
        return document is null ? (null, Problems.Problem(404, "document.not_found", "该办件没有此文号的文书。")) : (document, null);
    }
}
