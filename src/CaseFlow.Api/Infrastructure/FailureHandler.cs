using System.Text.Json;
using CaseFlow.Persistence.Resilience;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// Honest failures (issue 13). Every exception that escapes an endpoint becomes problem details:
/// <list type="bullet">
/// <item>a request the framework could not read (bad JSON, wrong type, undefined enum name, wrong content type) —
/// 400/415 naming the field;</item>
/// <item>the database unavailable — 503 <c>server.database_unavailable</c> with <c>Retry-After</c>, one warning per
/// outage (<see cref="DatabaseOutage"/>) instead of a stack trace per request;</item>
/// <item>a unique key already taken — 409 with a code;</item>
/// <item>anything else — 500, logged as exception types, SQLSTATE, constraint and stack frames, never a message
/// (PostgreSQL's text quotes the data that failed).</item>
/// </list>
/// </summary>
public sealed class FailureHandler(DatabaseOutage outage, ILogger<FailureHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    /// <summary>Unique constraints a client can run into, with their codes.</summary>
    private static readonly Dictionary<string, (string Code, string Detail)> Duplicates = new(StringComparer.Ordinal)
    {
        ["cf_centres_centre_code_key"] = ("organisation.centre_code_taken", "该中心编码已被另一个服务中心使用。"),
        ["cf_centres_region_code_key"] = ("organisation.region_taken", "该行政区划已设立服务中心（每个区划一个）。"),
        ["cf_streams_pkey"] = ("request.duplicate", "该记录已存在，请勿重复提交。"),
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, code, detail, errors) = Classify(exception);
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            outage.ReportUnavailable(exception);
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (status >= 500)
        {
            logger.LogError("Request {Method} {Route} failed: {Failure}\n{Frames}",
                http.Request.Method, (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)", DatabaseFailures.Describe(exception), DatabaseFailures.Frames(exception));
        }
        else if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            return true; // the client went away: nothing to answer
        }

        http.Response.StatusCode = status;
        var extra = new Dictionary<string, object?>();
        if (errors is not null)
            extra["errors"] = errors;
        await Problems.Problem(status, code, detail, extra).ExecuteAsync(http);
        return true;
    }

    private static (int Status, string Code, string Detail, Dictionary<string, string[]>? Errors) Classify(Exception e)
    {
        if (e is BadHttpRequestException bad)
        {
            if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
                return (415, "request.unsupported_media_type", "请以 JSON 格式（Content-Type: application/json）提交。", null);
            if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
                return (413, "request.too_large", "提交的内容过大。", null);
            var json = Inner<JsonException>(e);
            var field = FieldOf(json?.Path);
            return (400, "request.invalid", field is null ? "请求格式不正确，请检查填写的内容。" : $"“{field}”的值格式不正确或不允许，请检查后重新提交。",
                new Dictionary<string, string[]> { [field ?? "body"] = [json is null ? "请求无法读取。" : "值的类型或格式不正确（枚举只接受规定的名称）。"] });
        }
        if (DatabaseFailures.IsUnavailable(e))
            return (503, "server.database_unavailable", $"数据库暂时无法访问，请约 {RetryAfterSeconds} 秒后重试；已提交的办理不会丢失。", null);
        if (Inner<PostgresException>(e) is { SqlState: PostgresErrorCodes.UniqueViolation } unique)
        {
            var (code, detail) = Duplicates.GetValueOrDefault(unique.ConstraintName ?? "", ("request.duplicate", "该记录已存在（编号重复），请勿重复提交。"));
            return (409, code, detail, null);
        }
        if (Inner<PostgresException>(e) is { SqlState: "22P05" or "22021" or "54000" or "22001" })
            return (400, "request.invalid_text", "提交的文字含有不允许的字符或过长。", null);
        return (500, "server.error", "系统内部错误，请稍后重试；如仍有问题请联系管理员。", null);
    }

    private static T? Inner<T>(Exception e) where T : Exception
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is T found)
                return found;
        }
        return null;
    }

    /// <summary>A JSON path as a field name: <c>$.materials[0].state</c> → <c>materials[0].state</c>.</summary>
    private static string? FieldOf(string? path) =>
        path is null or "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
