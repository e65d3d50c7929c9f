using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CaseFlow.Api.Infrastructure;

namespace CaseFlow.Api.Endpoints.Platform;

/// <summary>The provincial platform CaseFlow takes online submissions from (<c>CaseFlow:OnlinePlatform</c>; issue 17).</summary>
public sealed class OnlinePlatformOptions
{
    /// <summary>The platform's id, sent as <c>X-Platform-Id</c> and part of every submission's key.</summary>
    public string Id { get; set; } = "jxzwfw";

    /// <summary>Its name as cases and timelines show it (the receiving party of an online case).</summary>
    public string Name { get; set; } = "江西省网上政务服务平台（赣服通）";

    /// <summary>The shared HMAC-SHA256 secret, at least 32 bytes; never logged. Development: appsettings.Development.json.</summary>
    public string Secret { get; set; } = "";

    /// <summary>How far the signed timestamp may be from CaseFlow's clock (replay window).</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest body accepted (the files stay in the platform; this is metadata only).</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>
/// The platform's credential (issue 17; decision record <c>Domain/OnlineSubmission/README.md</c>): not a staff JWT
/// but an HMAC-SHA256 signature, with the shared secret, over <c>METHOD \n path \n timestamp \n hex(SHA-256(body))</c>,
/// sent as <c>X-Platform-Signature: &lt;lowercase hex&gt;</c> with <c>X-Platform-Id</c> and <c>X-Platform-Timestamp</c>
/// (Unix seconds). The timestamp must be within <see cref="OnlinePlatformOptions.TimestampTolerance"/> of the
/// injected clock; the comparison is constant-time. Every refusal is 401 with its own code; nothing is read before.
/// </summary>
public static class PlatformSignature
{
    public const string PlatformHeader = "X-Platform-Id";
    public const string TimestampHeader = "X-Platform-Timestamp";
    public const string SignatureHeader = "X-Platform-Signature";

    public static void AddOnlinePlatform(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("CaseFlow:OnlinePlatform").Get<OnlinePlatformOptions>() ?? new OnlinePlatformOptions();
        if (Encoding.UTF8.GetByteCount(options.Secret) < 32)
        {
            throw new InvalidOperationException(
                "CaseFlow:OnlinePlatform:Secret must be set to at least 32 bytes (environment variable CaseFlow__OnlinePlatform__Secret): " +
                "the provincial platform signs its online submissions with it. Development uses the secret in appsettings.Development.json.");
        }
        services.AddSingleton(options);
    }

    /// <summary>The signature of a request, as the platform computes it (lowercase hex).</summary>
    public static string Sign(string secret, string method, string path, long timestamp, ReadOnlySpan<byte> body)
    {
        var canonical = $"{method.ToUpperInvariant()}\n{path}\n{timestamp.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToHexStringLower(SHA256.HashData(body))}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>The body of a request the platform signed, or the refusal.</summary>
    public static async Task<(byte[]? Body, IResult? Refused)> VerifyAsync(HttpContext http, OnlinePlatformOptions options, TimeProvider clock)
    {
        // A member of staff's token is no credential here, valid or not (and the platform's is none on staff endpoints).
        if (http.Request.Headers.Authorization.Count > 0)
            return (null, Problems.Problem(StatusCodes.Status401Unauthorized, "platform.staff_token_refused", "平台接口不接受工作人员登录令牌，须以平台签名（X-Platform-Signature）调用。"));
        var platform = http.Request.Headers[PlatformHeader].ToString();
        var timestampText = http.Request.Headers[TimestampHeader].ToString();
        var signature = http.Request.Headers[SignatureHeader].ToString();
        if (platform.Length == 0 || timestampText.Length == 0 || signature.Length == 0)
            return (null, Problems.Problem(StatusCodes.Status401Unauthorized, "platform.signature_missing", $"缺少平台签名：须提供 {PlatformHeader}、{TimestampHeader} 和 {SignatureHeader} 请求头。"));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(platform), Encoding.UTF8.GetBytes(options.Id)))
            return (null, Problems.Problem(StatusCodes.Status401Unauthorized, "platform.unknown", "未登记的平台标识（X-Platform-Id）。"));
        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp) || timestamp > 253402300799)
            return (null, Problems.Problem(StatusCodes.Status401Unauthorized, "platform.timestamp_out_of_window", "签名时间戳须为 Unix 秒数，且与服务器时间相差不超过允许范围。"));
        var now = clock.GetUtcNow();
        if ((now - DateTimeOffset.FromUnixTimeSeconds(timestamp)).Duration() > options.TimestampTolerance)
            return (null, Problems.Problem(StatusCodes.Status401Unauthorized, "platform.timestamp_out_of_window",
                $"签名时间戳与服务器时间相差超过 {options.TimestampTolerance.TotalMinutes:0} 分钟，请求已过期或时钟不准，请重新签名后提交。"));

        var body = await ReadBodyAsync(http, options.MaxBodyBytes);
        if (body is null)
            return (null, Problems.Problem(StatusCodes.Status413PayloadTooLarge, "platform.body_too_large",
                $"请求内容超过 {options.MaxBodyBytes / 1024} KB；电子材料文件保存在平台，请求中只需材料的描述和摘要。"));
        var expected = Encoding.ASCII.GetBytes(Sign(options.Secret, http.Request.Method, http.Request.Path.Value ?? "", timestamp, body));
        var given = Encoding.ASCII.GetBytes(signature.Trim().ToLowerInvariant());
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
            return (null, Problems.Problem(StatusCodes.Status401Unauthorized, "platform.signature_invalid", "平台签名不正确：请按接口约定对请求方法、路径、时间戳和请求内容签名。"));
        return (body, null);
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext http, int limit)
    {
        if (http.Request.ContentLength > limit)
            return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
