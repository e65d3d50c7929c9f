using System.Text.Json;
using CaseFlow.Persistence.EventStore;
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

/// <summary>Where the SMS/staff-message gateway is and how long one call may take (<c>CaseFlow:Notifications:Gateway</c>).</summary>
public sealed class NotificationGatewayOptions
{
    public Uri? Url { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The gateway refused or failed a message. <see cref="Permanent"/>: retrying the same request cannot help (a 4xx other than 408/429).</summary>
public sealed class NotificationGatewayException(int statusCode)
    : Exception($"the notification gateway answered {statusCode}")
{
    public int StatusCode => statusCode;

    public bool Permanent => statusCode is >= 400 and < 500 and not 408 and not 429;
}

/// <summary>
/// The HTTP gateway adapter: one POST per message with the message as JSON and its deterministic id as
/// <c>Idempotency-Key</c>, so the gateway drops a repeat after a retry or a crash. A timeout or a non-2xx answer
/// throws; Wolverine retries with back-off and finally parks the message as a dead letter (issue 15).
/// </summary>
public sealed class HttpNotificationSender(HttpClient http) : INotificationSender
{
    public async Task SendAsync(OutboxMessage message, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, (Uri?)null)
        {
            Content = System.Net.Http.Json.JsonContent.Create(
                new GatewayMessage(message.MessageId, message.Kind, message.Recipient, message.Template, message.Parameters), options: EventSerializer.Options),
        };
        request.Headers.Add("Idempotency-Key", message.MessageId.ToString());
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
            throw new NotificationGatewayException((int)response.StatusCode);
    }

    private sealed record GatewayMessage(Guid MessageId, string Kind, string Recipient, string Template, IReadOnlyDictionary<string, string> Parameters);
}
