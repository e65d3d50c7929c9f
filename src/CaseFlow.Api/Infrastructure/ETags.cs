using Microsoft.Net.Http.Headers;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// Entity tags on reads (RFC 9110 §8.8.3, §13.1.2; README "ETags"). A stream's view carries its version as users
/// see it (system annotations do not count) as a strong tag, the same value a command's <c>If-Match</c> is compared
/// with; <c>If-None-Match</c> with that tag (or <c>*</c>) answers 304 without a body.
/// </summary>
public static class ETags
{
    public static string Strong(long version) => CaseFlow.Persistence.Commands.CommandPipeline.ETagFor(version);

    /// <summary>Sets the view's strong ETag; true when the client's <c>If-None-Match</c> already holds it (answer <see cref="NotModified"/>).</summary>
    public static bool IsNotModified(HttpContext http, long version)
    {
        var etag = new EntityTagHeaderValue(Strong(version));
        http.Response.Headers.ETag = etag.ToString();
        var ifNoneMatch = http.Request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count == 0 || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
            return false;
        // If-None-Match uses the weak comparison (RFC 9110 §13.1.2).
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false));
    }

    /// <summary>304 Not Modified: the ETag header is already set, no body.</summary>
    public static IResult NotModified() => Results.StatusCode(StatusCodes.Status304NotModified);

    /// <summary>
    /// A weak tag for views computed as of now from the whole stream (the supervision audit, the timeline): they
    /// change with the system's annotations and with time, so they carry <c>W/"n"</c> (n = the stream's full version),
    /// which never satisfies an <c>If-Match</c> (strong comparison). Commands take the case view's strong tag.
    /// </summary>
    public static void SetWeak(HttpContext http, long streamVersion) => http.Response.Headers.ETag = $"W/\"{streamVersion}\"";
}
