using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CaseFlow.Persistence.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace CaseFlow.Persistence.Outbox;

/// <summary>
/// A message to send after the command commits. SMS-gateway shape: a recipient (a phone number for applicants,
/// a staff id for staff), a template code and its parameters. The id is derived from the event and template,
/// so a message is the same message however often it is produced.
/// </summary>
public sealed record OutboxMessage(Guid MessageId, string Kind, string Recipient, string Template, IReadOnlyDictionary<string, string> Parameters, Guid CausedByEvent)
{
    public static OutboxMessage For(EventEnvelope e, string kind, string recipient, string template, IReadOnlyDictionary<string, string> parameters)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{e.EventId:N}/{template}/{recipient}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // RFC 9562 version 5-style name-based id
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new OutboxMessage(new Guid(hash.AsSpan(0, 16), bigEndian: true), kind, recipient, template, parameters, e.EventId);
    }

    public static class Kinds
    {
        public const string Staff = "staff";
        public const string Applicant = "applicant";
    }
}

/// <summary>Decides which messages an event causes. Pure over the event.</summary>
public interface IOutboxPolicy
{
    IEnumerable<OutboxMessage> MessagesFor(EventEnvelope e);
}

public static class OutboxWriter
{
    /// <summary>Queues the message in the command's own write: sent only if the command commits.</summary>
    public static void Add(ICommandWrite write, OutboxMessage m, DateTimeOffset now) =>
        write.Execute(
            """
            INSERT INTO cf_outbox (message_id, kind, recipient, template, payload, caused_by_event, created_at, next_attempt_at)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $7) ON CONFLICT (message_id) DO NOTHING
            """,
            m.MessageId, m.Kind, m.Recipient, m.Template, JsonSerializer.Serialize(m.Parameters, EventSerializer.Options), m.CausedByEvent, now);
}
