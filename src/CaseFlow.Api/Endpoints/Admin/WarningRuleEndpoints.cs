using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Deadlines;
using CaseFlow.Persistence.Deadlines;

namespace CaseFlow.Api.Endpoints.Admin;

public sealed record WarningRulesRequest(IReadOnlyList<WarningRule> Rules, string? Note);

/// <summary>The warning rules in force and the version of their stream.</summary>
public sealed record WarningRulesView(long Version, IReadOnlyList<WarningRule> Rules);

/// <summary>Warning rules (监察规则) as data: read by all staff, published by administrators; every case is re-evaluated.</summary>
public static class WarningRuleEndpoints
{
    public static RouteGroupBuilder MapWarningRulesRead(this RouteGroupBuilder staff)
    {
        staff.MapGet("/warning-rules", async (DeadlineWatch watch, HttpContext http) =>
        {
            var set = await watch.RulesAsync(http.RequestAborted);
            return Results.Ok(new WarningRulesView(set.Version, set.Rules));
        }).WithTags("Staff · 预警规则").WithName("GetWarningRules").WithSummary("预警规则 · The warning rules in force")
            .Reads<WarningRulesView>()
            .WithDescription("现行预警规则（监察规则编号、监察对象、级别、阈值）");
        return staff;
    }

    public static RouteGroupBuilder MapWarningRulesAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPut("/warning-rules", async Task<IResult> (WarningRulesRequest request, HttpContext http, CommandHttp commands, DeadlineWatch watch) =>
        {
            var result = await commands.ExecuteAsync(http, "PublishWarningRules", WarningRuleSet.Kind, WarningRuleSet.StreamId, request, "/api/warning-rules",
                (s, actor, now) => s.Decide(new PublishWarningRules(request.Rules ?? [], request.Note ?? ""), actor, now));
            if (result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 })
                await watch.InvalidateAsync(http.RequestAborted);
            return result;
        }).WithTags("Admin · 预警规则").WithName("PublishWarningRules").WithSummary("发布预警规则 · Publish the warning rules")
            .Command(CommandAnswer.CreatedOrUpdated)
            .WithDescription("发布预警规则：黄灯（剩余工作日或已用比例）、红灯（超期），每个监察对象各一条；发布后全部在办件按新规则重新计算");
        return admin;
    }
}
