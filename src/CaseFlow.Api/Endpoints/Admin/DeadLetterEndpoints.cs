using CaseFlow.Api.Infrastructure;
using CaseFlow.Persistence;
using CaseFlow.Persistence.Outbox;
using Npgsql;
using Wolverine.Persistence.Durability;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.Runtime;

namespace CaseFlow.Api.Endpoints.Admin;

/// <summary>One message Wolverine gave up on (its retries exhausted, or refused by the gateway for good).</summary>
public sealed record DeadLetterView(
    Guid Id, string MessageType, Guid? MessageId, string? Template, string? Recipient, string ExceptionType, string? Failure,
    DateTimeOffset? FailedAt, int ReplayCount, bool Replayable);

/// <summary>
/// The administrator's view of notifications that could not be delivered (issue 15): list them with why, and replay
/// one once the gateway is mended — it goes back to its queue and is delivered with the same message id.
/// </summary>
public static class DeadLetterEndpoints
{
    public static RouteGroupBuilder MapDeadLetters(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/dead-letters").WithTags("Admin · 死信");

        group.MapGet("/", async Task<IResult> (int? limit, string? cursor, IWolverineRuntime wolverine, NpgsqlDataSource db, HttpContext http) =>
        {
            // Newest first, keyset on (failed, id) over Wolverine's own table (its query pages by offset); the letters
            // themselves are then read through Wolverine by id, so their bodies are decoded as Wolverine stored them.
            var (page, refused) = Paging.Read("dead_letters", limit, cursor, CursorKey.Instant, CursorKey.Guid);
            if (refused is not null)
                return refused;
            const string table = $"{ServiceCollectionExtensions.WolverineSchema}.wolverine_dead_letters";
            const string failed = "coalesce(failed_at, sent_at, 'epoch'::timestamptz)";
            await using var batch = db.CreateBatch();
            var rows = new NpgsqlBatchCommand(
                $"""
                SELECT id, {failed} FROM {table}
                WHERE archived_at IS NULL AND ($2::timestamptz IS NULL OR ({failed}, id) < ($2, $3))
                ORDER BY {failed} DESC, id DESC LIMIT $1
                """);
            rows.Parameters.AddWithValue(page!.Limit + 1);
            rows.Parameters.Add(page.Param(0, NpgsqlTypes.NpgsqlDbType.TimestampTz));
            rows.Parameters.Add(page.Param(1, NpgsqlTypes.NpgsqlDbType.Uuid));
            batch.BatchCommands.Add(rows);
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT count(*) FROM {table} WHERE archived_at IS NULL"));
            var keys = new List<(Guid Id, DateTimeOffset Failed)>();
            long total;
            await using (var reader = await batch.ExecuteReaderAsync(http.RequestAborted))
            {
                while (await reader.ReadAsync(http.RequestAborted))
                    keys.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)));
                await reader.NextResultAsync(http.RequestAborted);
                await reader.ReadAsync(http.RequestAborted);
                total = reader.GetInt64(0);
            }
            var letters = new Dictionary<Guid, DeadLetterView>();
            if (keys.Count > 0)
            {
                var found = await wolverine.Storage.DeadLetters.QueryAsync(
                    new DeadLetterEnvelopeQuery(keys.Select(k => k.Id).ToArray()) { PageSize = keys.Count }, http.RequestAborted);
                foreach (var envelope in found.Envelopes)
                    letters[envelope.Id] = View(envelope);
            }
            // A letter replayed between the two reads is no longer there: it is left out of the page.
            var keyed = page.PageOf(keys, k => [k.Failed, k.Id], total);
            return Results.Ok(new Page<DeadLetterView>(
                keyed.Items.Where(k => letters.ContainsKey(k.Id)).Select(k => letters[k.Id]).ToList(), keyed.NextCursor, keyed.Total, keyed.Limit));
        }).WithName("ListDeadLetters").WithSummary("死信列表 · List the notifications given up on (dead letters)")
            .Lists<DeadLetterView>()
            .WithDescription("投递失败、已停止重试的通知（死信），最新的在前：消息、原因、失败时间；修复网关后可逐条重放");

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
