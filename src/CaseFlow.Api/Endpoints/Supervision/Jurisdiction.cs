using CaseFlow.Api.Infrastructure;
using CaseFlow.Persistence.Deadlines;

namespace CaseFlow.Api.Endpoints.Supervision;

/// <summary>
/// A supervisor's region subtree: the GB/T 2260 prefix of the token's region (2 province, 4 city, 6 county,
/// 9 township digits). Lists, reports and single cases are limited to it; asking for a region outside it is 403.
/// </summary>
public static class Jurisdiction
{
    public static IResult Outside => Problems.Problem(403, "supervision.outside_jurisdiction", "只能查看本人监察范围（本级及下级区划）内的办件。");

    public static string Of(HttpContext http) => TimeLimitBoard.Prefix(http.User.FindFirst(CaseFlowClaims.RegionId)?.Value ?? "");

    /// <summary>The subtree asked for (default: the supervisor's own), or <see cref="Outside"/> when it is not within theirs.</summary>
    public static (string Subtree, IResult? Denied) Subtree(HttpContext http, string? region)
    {
        var own = Of(http);
        var asked = region is null ? own : TimeLimitBoard.Prefix(region);
        return asked.StartsWith(own, StringComparison.Ordinal) ? (asked, null) : (asked, Outside);
    }
}
