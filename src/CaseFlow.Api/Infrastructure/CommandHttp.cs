using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CaseFlow.Domain.Common;
using CaseFlow.Persistence.Commands;
using CaseFlow.Persistence.EventStore;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// The HTTP side of the one command pipeline: <c>If-Match</c> in (412 on a stale version), <c>ETag</c> out,
/// <c>Idempotency-Key</c> (a replay answers as the first time; the same key with another body is 422),
/// 409 on a concurrent conflict, problem details for every refusal.
/// </summary>
public sealed class CommandHttp(CommandPipeline pipeline)
{
    public TimeProvider Clock => pipeline.Clock;

    public async Task<IResult> ExecuteAsync<TState>(
        HttpContext http,
        string commandName,
        StreamKind<TState> kind,
        Guid streamId,
        object request,
        Channel channel,
        string resourcePath,
        Func<TState, Actor, DateTimeOffset, Decision> decide)
    {
        if (!TryReadIfMatch(http, out var ifMatch))
            return Problems.Problem(400, "request.if_match_invalid", "If-Match 请求头格式不正确，应为上次读取时返回的 ETag，例如 \"3\"。");

        var actor = CurrentActor.From(http.User, channel);
        IdempotencyRequest? idempotency = null;
        if (http.Request.Headers.TryGetValue("Idempotency-Key", out var key) && !string.IsNullOrWhiteSpace(key))
        {
            if (key.ToString().Length > 200)
                return Problems.Problem(400, "request.idempotency_key_invalid", "Idempotency-Key 过长（最多 200 个字符）。");
            idempotency = new IdempotencyRequest(key.ToString(), RequestHash(http, request));
        }

        var context = new CommandContext(
            commandName, actor,
            CorrelationId: System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier,
            CausationId: http.Request.Headers["X-Causation-Id"].FirstOrDefault(),
            IfMatch: ifMatch,
            Idempotency: idempotency,
            ResourcePath: resourcePath);

        var outcome = await pipeline.ExecuteAsync(kind, streamId, context, (state, now) => decide(state, actor, now), http.RequestAborted);
        return outcome switch
        {
            CommandOutcome.Succeeded s => Stored(http, s.Response),
            CommandOutcome.Replayed r => Stored(http, r.Response, replayed: true),
            CommandOutcome.Rejected r => Problems.From(r.Error),
            CommandOutcome.PreconditionFailed p => Problems.Problem(412, "concurrency.precondition_failed",
                "该记录在您读取之后已被修改，请刷新后重新操作。", new Dictionary<string, object?> { ["currentVersion"] = p.CurrentVersion }),
            CommandOutcome.Conflict => Problems.Problem(409, "concurrency.conflict", "该记录正被他人同时修改，请刷新后重新操作。"),
            CommandOutcome.IdempotencyKeyReused => Problems.Problem(422, "idempotency.key_reused",
                "该 Idempotency-Key 已用于另一份不同的请求，请为新请求使用新的 Key。"),
            _ => throw new InvalidOperationException($"Unmapped outcome {outcome}"),
        };
    }

    private static IResult Stored(HttpContext http, StoredResponse response, bool replayed = false)
    {
        if (response.ETag is not null)
            http.Response.Headers.ETag = response.ETag;
        if (response.Location is not null)
            http.Response.Headers.Location = response.Location;
        if (replayed)
            http.Response.Headers["Idempotent-Replayed"] = "true";
        return Results.Text(response.Body, "application/json", Encoding.UTF8, response.StatusCode);
    }

    private static bool TryReadIfMatch(HttpContext http, out long? version)
    {
        version = null;
        var header = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
            return true;
        var trimmed = header.Trim();
        if (trimmed.StartsWith("W/", StringComparison.Ordinal))
            trimmed = trimmed[2..];
        trimmed = trimmed.Trim('"');
        if (!long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            return false;
        version = parsed;
        return true;
    }

    private static string RequestHash(HttpContext http, object request)
    {
        var canonical = $"{http.Request.Method} {http.Request.Path}\n{JsonSerializer.Serialize(request, request.GetType(), EventSerializer.Options)}";
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>A new stream id: UUIDv7 from the injected clock.</summary>
    public Guid NewId() => Guid.CreateVersion7(pipeline.Clock.GetUtcNow());
}
