using CaseFlow.Api.Infrastructure;

namespace CaseFlow.Api.Endpoints.Supervision;

/// <summary>
/// A supervisor's region subtree: the GB/T 2260 prefix of the token's region (2 province, 4 city, 6 county,
/// 9 township digits). Lists, reports and single cases are limited to it; asking for a region outside it is 403.
/// </summary>
public static class Jurisdiction
{
    public static IResult Outside => Problems.From(Domain.Common.Jurisdiction.OutsideRegion);

    /// <summary>The supervisor's subtree; a token without a region never reaches here (<see cref="TokenClaims"/>).</summary>
    public static string Of(HttpContext http) =>
        Domain.Common.Jurisdiction.Subtree(http.User.RegionId() is { Length: > 0 } region ? region : throw new InvalidOperationException("supervisor token without region"));

    /// <summary>The subtree asked for (default: the supervisor's own), or <see cref="Outside"/> when it is not within theirs.</summary>
    public static (string Subtree, IResult? Denied) Subtree(HttpContext http, string? region)
    {
        var own = Of(http);
        var asked = region is null ? own : Domain.Common.Jurisdiction.Subtree(region);
        return asked.StartsWith(own, StringComparison.Ordinal) ? (asked, null) : (asked, Outside);
    }
}
