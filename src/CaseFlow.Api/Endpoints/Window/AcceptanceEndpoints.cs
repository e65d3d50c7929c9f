using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.BackOffice;
using CaseFlow.Domain.Common;
using CaseFlow.Persistence.Acceptance;
using Microsoft.AspNetCore.Mvc;

namespace CaseFlow.Api.Endpoints.Window;

public sealed record AcceptCaseRequest(string? Result);

public sealed record AcceptWithDeficiencyRequest(IReadOnlyList<DeficiencyPromise> Deficiencies, string Commitment);

public sealed record IssueNoticeRequest(IReadOnlyList<NoticeLine> Items, string? OverrideReason);

public sealed record SupplementRequest(IReadOnlyList<ReceivedMaterial> Materials);

public sealed record RejectCaseRequest(string Reason, string LegalBasis, bool NotCompetent, string? CompetentBody, string ReconsiderationBody, string Court);

public sealed record SignStubRequest(string SignedBy);

/// <summary>A one-time notice letter (its own stream): its status, who signed the stub, and its version (the ETag the stub's If-Match is compared with).</summary>
public sealed record NoticeLetterView(Guid NoticeId, Guid CaseId, string DocumentNumber, NoticeLetterStatus Status, string? SignedBy, long Version);

public sealed record ResubmitRequest(string Note);

public sealed record EscalateRequest(string Reason, string CoordinatorId, string CoordinatorName, DateOnly DueOn);

public sealed record ResolveEscalationRequest(string Resolution);

/// <summary>
/// The window's decisions on a received case (DOMAIN.md §4–§6): accept, accept with deficiency, one-time notice,
/// supplement (accepted that day once complete), reject. Clerks act only on their own centre's cases.
/// </summary>
public static class AcceptanceEndpoints
{
    public static RouteGroupBuilder MapAcceptance(this RouteGroupBuilder window)
    {
        var group = window.MapGroup("/cases/{id:guid}").WithTags("Window · 收件与受理");

        group.MapPost("/acceptance", (Guid id, [FromBody] AcceptCaseRequest? request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "AcceptCase", request ?? new AcceptCaseRequest(null), CaseAccess.WindowWork,
                (s, a, desk, now) => CaseDecider.Decide(new AcceptCase(request?.Result), s, a, desk, now)))
            .WithName("AcceptCase").WithSummary("受理 · Accept a case")
            .Command()
            .WithDescription("受理：材料齐全（或已告知承诺）时受理，出具受理通知书并开始计时；即办件当场办结");

        group.MapPost("/acceptance-with-deficiency", (Guid id, AcceptWithDeficiencyRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "AcceptWithDeficiency", request, CaseAccess.WindowWork,
                (s, a, desk, now) => CaseDecider.Decide(new AcceptWithDeficiency(request.Deficiencies ?? [], request.Commitment ?? ""), s, a, desk, now)))
            .WithName("AcceptWithDeficiency").WithSummary("容缺受理 · Accept a case with non-key materials to follow")
            .Command()
            .WithDescription("容缺受理：关键材料齐全时，列明每项缺少的非关键材料及补交期限（不晚于承诺办结日）和申请人承诺");

        group.MapPost("/notices", (Guid id, IssueNoticeRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
        {
            var noticeId = commands.NewId();
            return CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "IssueOneTimeNotice", request, CaseAccess.WindowWork,
                (s, a, desk, now) => CaseDecider.Decide(new IssueOneTimeNotice(noticeId, request.Items ?? [], request.OverrideReason), s, a, desk, now));
        }).WithName("IssueOneTimeNotice").WithSummary("一次性告知 · Issue a one-time notice of everything missing")
            .Command()
            .WithDescription("一次性告知：列明全部缺少或不符合要求的材料、原因和依据；再次告知只能针对首次告知后新提交的材料，否则须填写理由并记录为二次告知");

        group.MapPost("/notices/{noticeId:guid}/stub", (Guid id, Guid noticeId, SignStubRequest request, HttpContext http, CommandHttp commands) =>
            commands.ExecuteAsync(http, "SignNoticeStub", NoticeLetter.Kind, noticeId, request, $"/api/window/cases/{id}",
                (s, a, now) => s.CaseId != id && s.Status != NoticeLetterStatus.None
                    ? DomainError.NotFound("notice.not_found", "未找到该告知书。")
                    : NoticeLetter.Decide(new SignNoticeStub(request.SignedBy ?? ""), s, a, http.User.CentreId(), now)))
            .WithName("SignNoticeStub").WithSummary("告知书回执 · Record the applicant's signed notice stub")
            .Command()
            .WithDescription("登记一次性告知书回执：申请人签收（If-Match 为告知书的 ETag，见 GET …/notices/{noticeId}）");

        // Issue 16: the stub's If-Match is checked against the notice stream, whose version was nowhere to be read.
        group.MapGet("/notices/{noticeId:guid}", async Task<IResult> (Guid id, Guid noticeId, HttpContext http, CaseFlow.Persistence.EventStore.IEventStore store, CaseDesk desks) =>
        {
            var (_, _, denied) = await CaseAccessHttp.LoadAsync(id, http, store, desks, CaseAccess.Read);
            if (denied is not null)
                return denied;
            var stream = await store.LoadAsync(noticeId, http.RequestAborted);
            var letter = stream is null || stream.Kind != NoticeLetter.Kind.Name ? null : NoticeLetter.Kind.Fold(stream.Events.Select(e => e.Data));
            if (letter is null || letter.CaseId != id)
                return Problems.Problem(404, "notice.not_found", "未找到该告知书。");
            if (ETags.IsNotModified(http, stream!.UserVersion))
                return ETags.NotModified();
            return Results.Ok(new NoticeLetterView(letter.Id, letter.CaseId, letter.DocumentNumber, letter.Status, letter.SignedBy, stream.UserVersion));
        }).WithName("GetNoticeLetter").WithSummary("查看告知书 · A one-time notice letter and its version")
            .Reads<NoticeLetterView>(etag: true).Produces(StatusCodes.Status304NotModified) // If-None-Match (ETags.md)
            .WithDescription("查看一次性告知书：状态、回执签收人和版本（ETag，登记回执时用作 If-Match）");

        group.MapPost("/supplements", (Guid id, SupplementRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "SupplementMaterials", request, CaseAccess.WindowWork,
                (s, a, desk, now) => CaseDecider.Decide(new SupplementMaterials(request.Materials ?? []), s, a, desk, now)))
            .WithName("SupplementMaterials").WithSummary("补交材料 · Record supplemented materials")
            .Command()
            .WithDescription("补交材料：补正材料齐全之日即受理（出具受理通知书）；容缺材料全部补齐后解除容缺");

        group.MapPost("/rejection", (Guid id, RejectCaseRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "RejectCase", request, CaseAccess.WindowWork,
                (s, a, desk, now) => CaseDecider.Decide(new RejectCase(request.Reason ?? "", request.LegalBasis ?? "", request.NotCompetent, request.CompetentBody,
                    request.ReconsiderationBody ?? "", request.Court ?? ""), s, a, desk, now)))
            .WithName("RejectCase").WithSummary("不予受理 · Reject a case")
            .Command()
            .WithDescription("不予受理：写明理由、法律依据和救济途径（行政复议/行政诉讼）；不属于本机关职权的，告知有权机关");

        group.MapPost("/parts/{partId}/resubmission", (Guid id, string partId, ResubmitRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "ResubmitPart", request, CaseAccess.WindowWork,
                (s, a, desk, now) => BackOfficeDecider.Decide(new ResubmitPart(partId, request.Note ?? ""), s, a, desk, now)))
            .WithName("ResubmitPart").WithSummary("重新提交 · Resubmit a part the department returned to the window")
            .Command()
            .WithDescription("部门退回窗口的办件，窗口处理后重新提交给原承办人");

        group.MapPost("/escalation", (Guid id, EscalateRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "EscalateCase", request, CaseAccess.WindowWork,
                (s, a, desk, now) => BackOfficeDecider.Decide(new EscalateCase(request.Reason ?? "", request.CoordinatorId ?? "", request.CoordinatorName ?? "", request.DueOn), s, a, desk, now)))
            .WithName("EscalateCase").WithSummary("办不成事 · Escalate a case that cannot get done")
            .Command()
            .WithDescription("办不成事：转本中心“办不成事”反映窗口，指定协调人和办结期限");

        group.MapPost("/escalation/resolution", (Guid id, ResolveEscalationRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "ResolveEscalation", request, CaseAccess.WindowWork,
                (s, a, desk, now) => BackOfficeDecider.Decide(new ResolveEscalation(request.Resolution ?? ""), s, a, desk, now)))
            .WithName("ResolveEscalation").WithSummary("办不成事结果 · Record how an escalation was resolved")
            .Command()
            .WithDescription("办不成事：登记协调处理结果");

        return window;
    }
}
