using CaseFlow.Api.Infrastructure;
using CaseFlow.Persistence.Outbox;
using Wolverine.Persistence.Durability;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.Runtime;

namespace CaseFlow.Api.Endpoints.Admin;

/// <summary>One message Wolverine gave up on (its retries exhausted, or refused by the gateway for good).</summary>
public sealed record DeadLetterView(
    Guid Id, string MessageType, Guid? MessageId, string? Template, string? Recipient, string ExceptionType, string? Failure,
    DateTimeOffset? FailedAt, int ReplayCount, bool Replayable);

/// <summary>A page of dead letters, newest first.</summary>
public sealed record DeadLetterPage(int Total, int Page, int PageSize, IReadOnlyList<DeadLetterView> Items);

/// <summary>
/// The administrator's view of notifications that could not be delivered (issue 15): list them with why, and replay
/// one once the gateway is mended — it goes back to its queue and is delivered with the same message id.
/// </summary>
public static class DeadLetterEndpoints
{
    public static RouteGroupBuilder MapDeadLetters(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/dead-letters").WithTags("Admin · 死信");

        group.MapGet("/", async (IWolverineRuntime wolverine, HttpContext http, int? page) =>
        {
            var number = Math.Clamp(page ?? 1, 1, MaxPage); // Wolverine pages by offset: no overflow however large the page asked
            var results = await wolverine.Storage.DeadLetters.QueryAsync(new DeadLetterEnvelopeQuery { PageNumber = number, PageSize = PageSize }, http.RequestAborted);
            return Results.Ok(new DeadLetterPage(results.TotalCount, number, PageSize,
                results.Envelopes.OrderByDescending(e => e.FailedAt ?? e.SentAt).Select(View).ToList()));
        }).WithName("ListDeadLetters").WithSummary("死信列表 · List the notifications given up on (dead letters)")
            .Reads<DeadLetterPage>()
            .WithDescription("投递失败、已停止重试的通知（死信）：消息、原因、失败时间；修复网关后可逐条重放");

        group.MapPost("/{id:guid}/replay", async (Guid id, IWolverineRuntime wolverine, HttpContext http) =>
        {
            var found = await wolverine.Storage.DeadLetters.QueryAsync(new DeadLetterEnvelopeQuery([id]), http.RequestAborted);
            if (found.Envelopes.Count == 0)
                return Problems.Problem(404, "dead_letter.not_found", "未找到该死信（可能已重放或已处理）。");
            await wolverine.Storage.DeadLetters.ReplayAsync(new DeadLetterEnvelopeQuery([id]), http.RequestAborted);
            return Results.Accepted("/api/admin/dead-letters", View(found.Envelopes[0]) with { Replayable = true });
        }).WithName("ReplayDeadLetter").WithSummary("重放死信 · Replay a dead letter")
            .Produces<DeadLetterView>(StatusCodes.Status202Accepted)
            .WithDescription("重放一条死信：放回原队列，以同一消息编号重新投递（网关据此去重）");

        return admin;
    }

    private const int PageSize = 50;

    private const int MaxPage = 100_000;

    private static readonly System.Text.Json.JsonSerializerOptions Body = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>The stored body (Wolverine's listing does not deserialise it): JSON, as Wolverine wrote it.</summary>
    private static OutboxMessage? Read(byte[]? data)
    {
        if (data is not { Length: > 0 })
            return null;
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<OutboxMessage>(data, Body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static DeadLetterView View(DeadLetterEnvelope e)
    {
        var message = e.Message as OutboxMessage ?? e.Envelope?.Message as OutboxMessage ?? Read(e.Envelope?.Data);
        return new DeadLetterView(e.Id, e.MessageType, message?.MessageId, message?.Template, message?.Recipient, e.ExceptionType,
            // Our own failures say only a status or a timeout; anything else is named by its type alone (its text may quote the data).
            e.ExceptionType?.EndsWith(nameof(NotificationGatewayException), StringComparison.Ordinal) == true ? e.ExceptionMessage : null,
            e.FailedAt ?? e.SentAt, e.ReplayCount, e.Replayable);
    }
}
