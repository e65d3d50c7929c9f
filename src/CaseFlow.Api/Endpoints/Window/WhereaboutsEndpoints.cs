using CaseFlow.Api.Infrastructure;
using CaseFlow.Domain.Common;
using CaseFlow.Domain.Organisation;
using CaseFlow.Persistence.Acceptance;
using CaseFlow.Persistence.Organisation;
using Npgsql;

namespace CaseFlow.Api.Endpoints.Window;

/// <summary>
/// Leaving the window for a while (去向留言): which window, why, when back, and a contact — shown on the window's
/// public screen (四川方案 (6): "去向事由、联系方式等在窗口进行公示"), so give a work phone or extension.
/// </summary>
public sealed record LeaveWindowRequest(string WindowId, string Reason, DateTimeOffset? ExpectedReturnAt, string? Contact);

/// <summary>Back at the window (no body needed).</summary>
public sealed record ReturnToWindowRequest;

/// <summary>The clerk away from the window, as the hall may see it: name (as on the seat sign), reason, expected return, contact, who covers.</summary>
public sealed record WindowAwayView(string StaffName, string Reason, DateTimeOffset ExpectedReturnAt, string Contact, string? StandInName, bool Overdue);

/// <summary>Whether the window's clerk is there (<c>Open</c>) or has left it for a while (<c>Away</c>, 去向留言).</summary>
public enum WindowPresence
{
    Open,
    Away,
}

/// <summary>A window's public status for its display screen: <c>Open</c>, or <c>Away</c> with the whereabouts left.</summary>
public sealed record WindowStatusView(string WindowId, string Number, string CentreName, WindowPresence Status, WindowAwayView? Away);

/// <summary>去向留言 at the window (issue 17): the clerk's leave and return; the window's public status.</summary>
public static class WhereaboutsEndpoints
{
    public static RouteGroupBuilder MapWhereabouts(this RouteGroupBuilder window)
    {
        var group = window.MapGroup("/whereabouts").WithTags("Window · 去向留言");

        group.MapPost("/", (LeaveWindowRequest r, HttpContext http, CommandHttp commands, NpgsqlDataSource db, CaseDesk desks) =>
        {
            var me = http.User.StaffId();
            var stream = WindowWhereabouts.StreamIdFor(me);
            var leaveId = commands.NewId();
            return commands.ExecuteAsync(http, "LeaveWindow", WindowWhereabouts.Kind, stream, r, $"/api/public/windows/{r.WindowId}/status", async () =>
            {
                var ct = http.RequestAborted;
                if (!http.User.IsInRole(Roles.Clerk))
                    return (null, DomainError.Forbidden("whereabouts.clerk_only", "去向留言由窗口工作人员本人登记。"));
                if (await OrganisationLookups.WindowAsync(db, r.WindowId ?? "", ct) is not { } found)
                    return (null, DomainError.NotFound("whereabouts.window_not_found", "未找到该窗口。"));
                if (found.CentreCode != http.User.CentreId())
                    return (null, DomainError.Forbidden("whereabouts.other_centre", "只能登记本中心窗口的去向留言。"));
                var post = await OrganisationLookups.PostOfAsync(db, me, ct);
                var region = await desks.RegionOfCentreAsync(found.CentreCode, ct);
                var supervisor = region is null ? null : await OrganisationLookups.NearestSupervisorAsync(db, region, ct);
                var desk = new LeaveDesk(found.CentreCode, r.WindowId!, found.Number, post?.PostId, post?.OtherId, post?.OtherName, supervisor?.Id);
                var command = new LeaveWindow(leaveId, r.Reason ?? "", r.ExpectedReturnAt, r.Contact);
                return ((Func<WindowWhereabouts, Actor, DateTimeOffset, Decision>)((s, actor, now) => s.Decide(command, desk, actor, now)), null);
            });
        }).WithName("LeaveWindow").WithSummary("去向留言 · Leave the window for a while")
            .Command(CommandAnswer.CreatedOrUpdated)
            .WithDescription("临时离开窗口：登记去向事由、预计返回时间和联系方式（必填，将在窗口显示屏公示，请填写工作电话或分机）；通知 AB 岗的另一名人员；超时未返回的由系统提示监察人员");

        group.MapPost("/return", (HttpContext http, CommandHttp commands) =>
        {
            var me = http.User.StaffId();
            return commands.ExecuteAsync(http, "ReturnToWindow", WindowWhereabouts.Kind, WindowWhereabouts.StreamIdFor(me), new ReturnToWindowRequest(), "/api/window/whereabouts",
                (s, actor, now) => s.Decide(new ReturnToWindow(), actor, now));
        }).WithName("ReturnToWindow").WithSummary("返回窗口 · Back at the window")
            .Command()
            .WithDescription("登记返回窗口，窗口显示屏恢复为在岗");
        return window;
    }

    /// <summary><c>GET /api/public/windows/{windowId}/status</c>: anonymous, what the hall's screen shows.</summary>
    public static RouteGroupBuilder MapWindowStatus(this RouteGroupBuilder publicApi)
    {
        publicApi.MapGet("/windows/{windowId}/status", async Task<IResult> (string windowId, NpgsqlDataSource db, TimeProvider clock, HttpContext http) =>
        {
            if (await OrganisationLookups.WindowAsync(db, windowId, http.RequestAborted) is not { } window)
                return Problems.Problem(404, "whereabouts.window_not_found", "未找到该窗口。");
            await using var cmd = db.CreateCommand(
                "SELECT staff_name, reason, expected_return_at, contact, stand_in_name FROM cf_window_leaves WHERE window_id = $1 AND returned_at IS NULL ORDER BY left_at DESC LIMIT 1");
            cmd.Parameters.AddWithValue(windowId);
            await using var reader = await cmd.ExecuteReaderAsync(http.RequestAborted);
            WindowAwayView? away = null;
            if (await reader.ReadAsync(http.RequestAborted))
            {
                var back = reader.GetFieldValue<DateTimeOffset>(2);
                away = new WindowAwayView(reader.GetString(0), reader.GetString(1), back, reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), clock.GetUtcNow() > back);
            }
            return Results.Ok(new WindowStatusView(windowId, window.Number, window.CentreName, away is null ? WindowPresence.Open : WindowPresence.Away, away));
        }).AllowAnonymous().WithTags("Public · 窗口显示屏").WithName("GetWindowStatus").WithSummary("窗口状态 · A window's public status for its display screen")
            .Reads<WindowStatusView>()
            .WithDescription("窗口显示屏（无需登录）：在岗，或临时离开时的去向事由、预计返回时间、联系方式和代岗人员（按去向留言制公示；不含其他个人信息）");
        return publicApi;
    }
}
