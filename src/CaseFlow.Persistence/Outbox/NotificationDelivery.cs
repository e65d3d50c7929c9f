using CaseFlow.Persistence.Telemetry;
using Npgsql;

namespace CaseFlow.Persistence.Outbox;

/// <summary>
/// Delivers a message a command published (issue 15). Wolverine hands it over from its durable local queue
/// "notifications" once the command has committed (the envelope was stored in the command's transaction), in the
/// trace of that command; a failing gateway is retried with back-off and, after the last try, the message is a
/// dead letter the administrator lists and replays (<c>/api/admin/dead-letters</c>). The command's record in
/// <c>cf_outbox</c> says what happened: attempts, the last error's kind (never its text: it may quote the data),
/// and when it was sent.
/// </summary>
public static class NotificationDeliveryHandler
{
    public static async Task Handle(OutboxMessage message, INotificationSender sender, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            await sender.SendAsync(message, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            CaseFlowTelemetry.OutboxFailed.Add(1);
            await RecordAsync(db, "UPDATE cf_outbox SET attempts = attempts + 1, last_error = $2 WHERE message_id = $1 AND status <> 'sent'",
                message.MessageId, e is NotificationGatewayException g ? $"gateway {g.StatusCode}" : e.GetType().Name);
            throw;
        }
        CaseFlowTelemetry.OutboxSent.Add(1);
        await RecordAsync(db, "UPDATE cf_outbox SET status = 'sent', attempts = attempts + 1, sent_at = $2, last_error = NULL WHERE message_id = $1 AND status <> 'sent'",
            message.MessageId, clock.GetUtcNow());
    }

    private static async Task RecordAsync(NpgsqlDataSource db, string sql, Guid messageId, object value)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.AddWithValue(messageId);
        cmd.Parameters.AddWithValue(value);
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
