using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// /health/ready as JSON: overall status and each check's status for everyone (load balancers); descriptions and
/// data (projection lag and errors, event ids, workers) only in Development, when <c>CaseFlow:Health:Details</c>
/// is set, or for an Admin token (issue 13).
/// </summary>
public static class HealthResponse
{
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        var details = http.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment()
            || http.RequestServices.GetRequiredService<IConfiguration>().GetValue("CaseFlow:Health:Details", false)
            || http.User.IsInRole(Roles.Admin);
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => details
                ? (object)new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }
                : new { status = e.Value.Status.ToString() }),
        }, Json));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
