using CaseFlow.Domain.Common;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// RFC 9457 problem details for every error: a stable machine <c>code</c> and a Chinese <c>detail</c> a clerk can
/// read; never a stack trace.
/// </summary>
public static class Problems
{
    public const string TypeBase = "https://caseflow.example.cn/problems/";

    public static IResult From(DomainError error) => Problem(StatusFor(error.Kind), error.Code, error.Message);

    public static int StatusFor(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    public static IResult Problem(int status, string code, string detail, IDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (extra is not null)
        {
            foreach (var (k, v) in extra)
                extensions[k] = v;
        }
        return Results.Problem(statusCode: status, title: TitleFor(status), detail: detail, type: TypeBase + code, extensions: extensions);
    }

    public static string TitleFor(int status) => status switch
    {
        400 => "请求有误",
        401 => "未登录",
        403 => "无权操作",
        404 => "未找到",
        409 => "数据已被他人修改",
        412 => "数据版本已变化",
        422 => "不符合办理规则",
        429 => "请求过于频繁",
        _ => "系统错误",
    };

    /// <summary>Codes and Chinese details for errors that the framework raises (bad JSON, 401, 403, 404, 500).</summary>
    public static (string Code, string Detail) ForStatus(int status) => status switch
    {
        400 => ("request.invalid", "请求格式不正确，请检查填写的内容。"),
        401 => ("auth.unauthenticated", "请先登录（缺少或无效的访问令牌）。"),
        403 => ("auth.forbidden", "您的角色无权进行此项操作。"),
        404 => ("resource.not_found", "未找到请求的内容。"),
        405 => ("request.method_not_allowed", "不支持该请求方式。"),
        415 => ("request.unsupported_media_type", "请以 JSON 格式提交。"),
        _ => ("server.error", "系统内部错误，请稍后重试；如仍有问题请联系管理员。"),
    };

    public static void AddCaseFlowProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            if (!context.ProblemDetails.Extensions.ContainsKey("code"))
            {
                var (code, detail) = ForStatus(status);
                context.ProblemDetails.Extensions["code"] = code;
                context.ProblemDetails.Detail = detail;
                context.ProblemDetails.Type = TypeBase + code;
                context.ProblemDetails.Title = TitleFor(status);
            }
            context.ProblemDetails.Extensions.Remove("exception");
            context.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        });
}
