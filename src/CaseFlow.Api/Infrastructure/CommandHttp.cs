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

    public Task<IResult> ExecuteAsync<TState>(
        HttpContext http,
        string commandName,
        StreamKind<TState> kind,
        Guid streamId,
        object request,
        string resourcePath,
        Func<TState, Actor, DateTimeOffset, Decision> decide,
        Actor? asActor = null) =>
        ExecuteAsync(http, commandName, kind, streamId, request, resourcePath,
            () => Task.FromResult<(Func<TState, Actor, DateTimeOffset, Decision>?, DomainError?)>((decide, null)), asActor);

    /// <summary>
    /// A command whose preparation does work of its own (a receipt takes a case number): the
    /// <c>Idempotency-Key</c> is reserved first, so a replay or a concurrent duplicate never prepares again.
    /// </summary>
    public async Task<IResult> ExecuteAsync<TState>(
        HttpContext http,
        string commandName,
        StreamKind<TState> kind,
        Guid streamId,
        object request,
        string resourcePath,
        Func<Task<(Func<TState, Actor, DateTimeOffset, Decision>? Decide, DomainError? Error)>> prepare,
        Actor? asActor = null)
    {
        if (!TryReadIfMatch(http, out var ifMatch))
            return Problems.Problem(400, "request.if_match_invalid", "If-Match 请求头格式不正确，应为上次读取时返回的 ETag（带引号，例如 \"3\"），或 *。");

        // An anonymous applicant (the public booking API) acts as the actor its endpoint names; everyone else as their token says.
        var actor = asActor ?? CurrentActor.From(http.User);
        IdempotencyRequest? idempotency = null;
        if (http.Request.Headers.TryGetValue("Idempotency-Key", out var key) && !string.IsNullOrWhiteSpace(key))
        {
            var text = key.ToString();
            if (text.Length > 200 || text.Any(char.IsControl))
                return Problems.Problem(400, "request.idempotency_key_invalid", "Idempotency-Key 无效（最多 200 个字符，不能含控制字符）。");
            (idempotency, var earlier) = await pipeline.ReserveAsync(actor.Id, new IdempotencyRequest(text, RequestHash(http, request)), http.RequestAborted);
            if (earlier is not null)
                return Answer(http, earlier);
        }

        var context = new CommandContext(
            commandName, actor,
            CorrelationId: System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier,
            CausationId: CausationId(http),
            IfMatch: ifMatch,
            Idempotency: idempotency,
            ResourcePath: resourcePath);

        CommandOutcome? outcome = null;
        try
        {
            var (decide, refused) = await prepare();
            if (refused is not null || decide is null)
                return Problems.From(refused ?? DomainError.Rule("command.not_prepared", "无法办理该请求。"));
            outcome = await pipeline.ExecuteAsync(kind, streamId, context, (state, now) => decide(state, actor, now), http.RequestAborted);
            return Answer(http, outcome);
        }
        finally
        {
            if (outcome is null && idempotency is not null)
                await pipeline.ReleaseAsync(actor.Id, idempotency); // the pipeline releases for its own outcomes
        }
    }

    private static IResult Answer(HttpContext http, CommandOutcome outcome) => outcome switch
    {
        CommandOutcome.Succeeded s => Stored(http, s.Response),
        CommandOutcome.Replayed r => Stored(http, r.Response, replayed: true),
        CommandOutcome.Rejected r => Problems.From(r.Error),
        CommandOutcome.PreconditionFailed p => Problems.Problem(412, "concurrency.precondition_failed",
            "该记录在您读取之后已被修改，请刷新后重新操作。", new Dictionary<string, object?> { ["currentVersion"] = p.CurrentVersion }),
        CommandOutcome.Conflict => Problems.Problem(409, "concurrency.conflict", "该记录正被他人同时修改，请刷新后重新操作。"),
        CommandOutcome.IdempotencyKeyReused => Problems.Problem(422, "idempotency.key_reused",
            "该 Idempotency-Key 已用于另一份不同的请求，请为新请求使用新的 Key。"),
        CommandOutcome.IdempotencyInProgress => Problems.Problem(409, "idempotency.in_progress",
            "使用同一 Idempotency-Key 的请求正在办理中，请稍后重试以获得其结果。"),
        _ => throw new InvalidOperationException($"Unmapped outcome {outcome.GetType().Name}"),
    };

    /// <summary>The caller's causation id, if it is a plain token (it is stored in every event's metadata).</summary>
    private static string? CausationId(HttpContext http)
    {
        var value = http.Request.Headers["X-Causation-Id"].FirstOrDefault();
        return value is { Length: > 0 and <= 100 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':') ? value : null;
    }

    private static IResult Stored(HttpContext http, StoredResponse response, bool replayed = false)
    {
        if (response.ETag is not null)
            http.Response.Headers.ETag = response.ETag;
        if (response.Location is not null)
            http.Response.Headers.Location = SafeLocation(response.Location);
        if (replayed)
            http.Response.Headers["Idempotent-Replayed"] = "true";
        return Results.Text(response.Body, "application/json", Encoding.UTF8, response.StatusCode);
    }

    /// <summary>
    /// The Location header as an ASCII URI reference: anything else is percent-encoded, so a committed write is
    /// never answered with a failure because of an id (issue 13).
    /// </summary>
    private static string SafeLocation(string location)
    {
        if (location.All(c => c is > ' ' and < (char)127))
            return location;
        var b = new StringBuilder();
        foreach (var rune in location.EnumerateRunes())
            b.Append(rune.Value is > ' ' and < 127 ? rune.ToString() : Uri.EscapeDataString(rune.ToString()));
        return b.ToString();
    }

    /// <summary>
    /// Reads <c>If-Match</c> with <see cref="Microsoft.Net.Http.Headers.EntityTagHeaderValue"/> (RFC 9110): absent →
    /// no condition; <c>*</c> → the record must exist; otherwise the strong tags listed (weak ones can never match
    /// under the strong comparison If-Match requires). A header that is not a list of entity tags is a 400.
    /// </summary>
    private static bool TryReadIfMatch(HttpContext http, out IfMatchCondition? condition)
    {
        condition = null;
        var values = http.Request.Headers.IfMatch;
        if (values.Count == 0 || values.All(string.IsNullOrWhiteSpace))
            return true;
        if (!Microsoft.Net.Http.Headers.EntityTagHeaderValue.TryParseStrictList(values, out var tags) || tags.Count == 0)
            return false;
        if (tags.Any(t => t.Equals(Microsoft.Net.Http.Headers.EntityTagHeaderValue.Any)))
        {
            condition = new IfMatchCondition(true, []);
            return true;
        }
        var versions = new List<long>();
        foreach (var tag in tags.Where(t => !t.IsWeak))
        {
            if (long.TryParse(tag.Tag.AsSpan(1, tag.Tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                versions.Add(v);
        }
        condition = new IfMatchCondition(false, versions);
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
