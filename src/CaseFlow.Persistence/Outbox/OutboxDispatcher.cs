using System.Text.Json;
using CaseFlow.Persistence.EventStore;
using CaseFlow.Persistence.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace CaseFlow.Persistence.Outbox;

/// <summary>
/// The gateway a message leaves by. SMS-gateway shape: recipient, template, parameters, and an idempotency
/// id the gateway may use to drop a repeat (delivery is at least once).
/// </summary>
public interface INotificationSender
{
    Task SendAsync(OutboxMessage message, CancellationToken ct);
}

/// <summary>
/// The default sender: records each message in <c>cf_sent_messages</c> for an operator to read. A repeat of the
/// same message id is recorded once.
/// </summary>
public sealed class RecordingNotificationSender(NpgsqlDataSource dataSource, TimeProvider clock) : INotificationSender
{
    public async Task SendAsync(OutboxMessage message, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            INSERT INTO cf_sent_messages (message_id, kind, recipient, template, payload, sent_at)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (message_id) DO NOTHING
            """);
        cmd.Parameters.AddWithValue(message.MessageId);
        cmd.Parameters.AddWithValue(message.Kind);
        cmd.Parameters.AddWithValue(message.Recipient);
        cmd.Parameters.AddWithValue(message.Template);
        cmd.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(message.Parameters, EventSerializer.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        cmd.Parameters.AddWithValue(clock.GetUtcNow());
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>
/// Sends what the outbox holds: claims due messages with <c>FOR UPDATE SKIP LOCKED</c> (several hosts never take the
/// same message at once), sends each, marks it sent; a failure is retried with exponential back-off and, after
/// <see cref="MaxAttempts"/> tries, the message is parked as <c>dead</c> for an operator. Never deleted.
/// </summary>
public sealed class OutboxDispatcher(NpgsqlDataSource dataSource, INotificationSender sender, TimeProvider clock, ILogger<OutboxDispatcher> logger, Resilience.BackgroundHealth? health = null)
    : BackgroundService
{
    public int MaxAttempts { get; init; } = 8;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sent = await DispatchDueAsync(100, stoppingToken);
                health?.Succeeded("outbox");
                if (sent == 0)
                    await Task.Delay(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                await Task.Delay(health?.Failed("outbox", e) ?? TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>One pass: sends up to <paramref name="limit"/> due messages. Returns how many were attempted.</summary>
    public async Task<int> DispatchDueAsync(int limit, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var due = new List<(long Id, int Attempts, OutboxMessage Message)>();
        await using (var claim = new NpgsqlCommand(
            """
            SELECT id, attempts, message_id, kind, recipient, template, payload::text, caused_by_event FROM cf_outbox
            WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
            """, conn, tx))
        {
            claim.Parameters.AddWithValue(now);
            claim.Parameters.AddWithValue(limit);
            await using var reader = await claim.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var parameters = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6), EventSerializer.Options)!;
                due.Add((reader.GetInt64(0), reader.GetInt32(1), new OutboxMessage(
                    reader.GetGuid(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), parameters, reader.GetGuid(7))));
            }
        }

        foreach (var (id, attempts, message) in due)
        {
            using var activity = CaseFlowTelemetry.Source.StartActivity("outbox.send");
            try
            {
                await sender.SendAsync(message, ct);
                await UpdateAsync(conn, tx, "UPDATE cf_outbox SET status = 'sent', attempts = attempts + 1, sent_at = $2, last_error = NULL WHERE id = $1", id, clock.GetUtcNow(), null, ct);
                CaseFlowTelemetry.OutboxSent.Add(1);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                CaseFlowTelemetry.OutboxFailed.Add(1);
                var tries = attempts + 1;
                var dead = tries >= MaxAttempts;
                var next = now + TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, attempts)));
                logger.LogWarning("Outbox message {MessageId} failed (attempt {Attempt}): {Error}", message.MessageId, tries, Resilience.DatabaseFailures.Describe(e));
                await UpdateAsync(conn, tx,
                    dead
                        ? "UPDATE cf_outbox SET status = 'dead', attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE id = $1"
                        : "UPDATE cf_outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE id = $1",
                    id, next, $"{e.GetType().Name}: {e.Message}", ct);
            }
        }
        await tx.CommitAsync(ct);
        return due.Count;
    }

    private static async Task UpdateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, long id, DateTimeOffset at, string? error, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(at);
        if (sql.Contains("$3", StringComparison.Ordinal))
            cmd.Parameters.AddWithValue((object?)error ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
