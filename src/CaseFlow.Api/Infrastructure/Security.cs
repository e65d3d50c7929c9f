using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace CaseFlow.Api.Infrastructure;

public sealed class JwtOptions
{
    public string Issuer { get; set; } = "caseflow";
    public string Audience { get; set; } = "caseflow-api";
    public string SigningKey { get; set; } = "";
    public int TokenLifetimeMinutes { get; set; } = 600;
}

/// <summary>
/// JWT bearer authentication (issuer, audience, signing key from configuration) and role policies. 401 and 403
/// answer with problem details like every other error.
/// </summary>
public static class Security
{
    public static void AddCaseFlowSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var jwt = configuration.GetSection("CaseFlow:Jwt").Get<JwtOptions>() ?? new JwtOptions();
        if (Encoding.UTF8.GetByteCount(jwt.SigningKey) < 32)
        {
            throw new InvalidOperationException(
                "CaseFlow:Jwt:SigningKey must be set to at least 32 bytes (environment variable CaseFlow__Jwt__SigningKey). " +
                "Development uses the key in appsettings.Development.json.");
        }
        services.AddSingleton(jwt);
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = jwt.Issuer,
                ValidAudience = jwt.Audience,
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.SigningKey)),
                NameClaimType = CaseFlowClaims.Name,
                RoleClaimType = CaseFlowClaims.Role,
                ClockSkew = TimeSpan.FromMinutes(1),
            };
            options.Events = new JwtBearerEvents
            {
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    await WriteProblemAsync(context.HttpContext, 401);
                },
                OnForbidden = context => WriteProblemAsync(context.HttpContext, 403),
            };
        });
        services.AddAuthorization();
    }

    private static Task WriteProblemAsync(HttpContext http, int status)
    {
        var (code, detail) = Problems.ForStatus(status);
        return WriteProblemAsync(http, status, code, detail);
    }

    public static async Task WriteProblemAsync(HttpContext http, int status, string code, string detail)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/problem+json";
        await http.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["type"] = Problems.TypeBase + code,
            ["title"] = Problems.TitleFor(status),
            ["status"] = status,
            ["detail"] = detail,
            ["code"] = code,
            ["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier,
        }, ProblemJson));
    }

    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerOptions.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Issues a token for a member of staff (used by the Development token endpoint and the tests).</summary>
    public static string IssueToken(JwtOptions jwt, IEnumerable<Claim> claims, DateTimeOffset now)
    {
        var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.SigningKey)), SecurityAlgorithms.HmacSha256);
        var token = new JwtSecurityToken(jwt.Issuer, jwt.Audience, claims, now.UtcDateTime, now.UtcDateTime.AddMinutes(jwt.TokenLifetimeMinutes), credentials);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}

/// <summary>
/// A signed token is not enough: it must name a member of staff, a staff role CaseFlow knows (never <c>System</c>)
/// and the unit its role's jurisdiction is measured by — a clerk's centre, an approver's department, a
/// supervisor's region. Anything less is refused (401 / 403), never read as "everywhere" (issue 13).
/// </summary>
public sealed class TokenClaims(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.User.Identity?.IsAuthenticated == true)
        {
            if (string.IsNullOrWhiteSpace(http.User.StaffId()) || CurrentActor.RoleOf(http.User) is null)
            {
                await Security.WriteProblemAsync(http, 401, "auth.token_incomplete", "访问令牌缺少人员或角色信息，请重新登录。");
                return;
            }
            if (CaseFlow.Domain.Common.Jurisdiction.MissingClaim(http.User.Place()) is { } missing)
            {
                await Security.WriteProblemAsync(http, 403, missing.Code, missing.Message);
                return;
            }
        }
        await next(http);
    }
}
