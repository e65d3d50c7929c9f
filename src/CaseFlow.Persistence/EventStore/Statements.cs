using Npgsql;

namespace CaseFlow.Persistence.EventStore;

/// <summary>CaseFlow's SQL statements with <c>$1</c>-style arguments, as batch commands.</summary>
public static class Statements
{
    public static NpgsqlBatchCommand Command(string sql, params object?[] args)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var arg in args)
        {
            // timestamptz takes UTC only: instants that users send with +08:00 are normalised here, once.
            var value = arg is DateTimeOffset instant ? instant.ToUniversalTime() : arg;
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return command;
    }
}
