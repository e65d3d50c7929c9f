using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Acceptance;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Handover;
using CaseFlow.Persistence.Acceptance;

namespace CaseFlow.Api.Endpoints.Window;

public sealed record DeliveryRequest(DeliveryMethod Method, string? Address);

public sealed record HandOutRequest(string ReceiverName, string ReceiverIdNumber, WrittenAuthorisation? Authorisation);

public sealed record MailRequest(string Carrier, string WaybillNumber, string? Address);

public sealed record MailDeliveredRequest(DateOnly DeliveredOn);

public sealed record RatingRequest(RatingLevel Level, Channel Channel, string? Details, bool Named);

public sealed record NoteRequest(string Text);

/// <summary>
/// 统一出件 and 好差评 at the window (issue 7): how the applicant wants the result, handing it out (identity
/// checked; an authorised person brings the written authorisation) or mailing it, and the applicant's rating.
/// Return visits, rectification and voiding a rating are for supervisors (and the window for the visit).
/// </summary>
public static class HandoverEndpoints
{
    public static RouteGroupBuilder MapHandover(this RouteGroupBuilder window)
    {
        var group = window.MapGroup("/cases/{id:guid}").WithTags("Window · 出件与评价");

        group.MapPost("/delivery", (Guid id, DeliveryRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "ChooseDelivery", request, CaseAccess.WindowWork,
                (s, a, desk, now) => HandoverDecider.Decide(new ChooseDelivery(request.Method, request.Address), s, a, desk, now)))
            .WithName("ChooseDelivery").WithSummary("领取方式 · Choose how the result is delivered")
            .Command()
            .WithDescription("选择领取方式：窗口领取或邮寄（受理时或之后）");

        group.MapPost("/handout", (Guid id, HandOutRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "HandOutResult", request, CaseAccess.WindowWork,
                (s, a, desk, now) => HandoverDecider.Decide(new HandOutResult(request.ReceiverName ?? "", request.ReceiverIdNumber ?? "", request.Authorisation), s, a, desk, now)))
            .WithName("HandOutResult").WithSummary("出件 · Hand the result out")
            .Command()
            .WithDescription("出件：核验领取人身份（本人，或持申请人委托书的受托人），容缺材料未补齐的不予发放；出件后办结");

        group.MapPost("/mailing", (Guid id, MailRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "MailResult", request, CaseAccess.WindowWork,
                (s, a, desk, now) => HandoverDecider.Decide(new MailResult(request.Carrier ?? "", request.WaybillNumber ?? "", request.Address), s, a, desk, now)))
            .WithName("MailResult").WithSummary("邮寄送达 · Mail the result")
            .Command()
            .WithDescription("邮寄送达：登记承运单位和运单号");

        group.MapPost("/mailing/delivered", (Guid id, MailDeliveredRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "RecordMailDelivery", request, CaseAccess.WindowWork,
                (s, a, desk, now) => HandoverDecider.Decide(new RecordMailDelivery(request.DeliveredOn), s, a, desk, now)))
            .WithName("RecordMailDelivery").WithSummary("邮件送达 · Record the mail's delivery")
            .Command()
            .WithDescription("登记邮件送达日期；送达后办结");

        group.MapPost("/rating", (Guid id, RatingRequest request, HttpContext http, CommandHttp commands, CaseDesk desks, RatingPolicy policy) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "RateService", request, CaseAccess.WindowWork,
                (s, a, desk, now) => HandoverDecider.Decide(new RateService(request.Level, request.Channel, request.Details, request.Named), s, a, desk, policy, now)))
            .WithName("RateService").WithSummary("好差评 · Rate the service")
            .Command()
            .WithDescription("好差评：非常满意 / 满意 / 基本满意 / 不满意 / 非常不满意；差评须写明问题，实名差评自动生成回访和整改任务");

        return window;
    }

    public static RouteGroupBuilder MapRatingFollowUp(this RouteGroupBuilder staff)
    {
        var group = staff.MapGroup("/ratings/{id:guid}").WithTags("Supervision · 差评整改");

        group.MapPost("/return-visit", (Guid id, NoteRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "RecordReturnVisit", request, CaseAccess.RatingFollowUp,
                (s, a, desk, now) => HandoverDecider.Decide(new RecordReturnVisit(request.Text ?? ""), s, a, desk, now)))
            .WithName("RecordReturnVisit").WithSummary("差评回访 · Record the return visit after a bad rating")
            .Command()
            .WithDescription("登记差评回访");

        group.MapPost("/rectification", (Guid id, NoteRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "CompleteRectification", request, CaseAccess.RatingFollowUp,
                (s, a, desk, now) => HandoverDecider.Decide(new CompleteRectification(request.Text ?? ""), s, a, desk, now)))
            .WithName("CompleteRectification").WithSummary("整改完成 · Record the rectification after a bad rating")
            .Command()
            .WithDescription("登记整改措施（整改完成）");

        group.MapPost("/void", (Guid id, NoteRequest request, HttpContext http, CommandHttp commands, CaseDesk desks) =>
            CaseAccessHttp.OnCaseAsync(http, commands, desks, id, "VoidRating", request, CaseAccess.RatingFollowUp,
                (s, a, desk, now) => HandoverDecider.Decide(new VoidRating(request.Text ?? ""), s, a, desk, now)))
            .WithName("VoidRating").WithSummary("作废评价 · Void a rating on appeal")
            .Command()
            .WithDescription("申诉复核：作废误评或恶意差评（写明理由），本件可重新评价");
        return staff;
    }
}
