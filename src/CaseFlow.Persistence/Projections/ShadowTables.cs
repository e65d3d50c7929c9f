using Npgsql;

namespace CaseFlow.Persistence.Projections;

/// <summary>
/// The copies a rebuild fills while readers keep the live tables (issue 3, "Rebuild"; issue 14, blue/green): created
/// like the live ones (columns, keys, indexes), then swapped in under the live names in one transaction.
/// </summary>
public static class ShadowTables
{
    public const string Suffix = "__rebuild";

    public static string CopyOf(string table) => table + Suffix;

    public static async Task CreateAsync(NpgsqlConnection conn, IReadOnlyDictionary<string, string> copies, CancellationToken ct)
    {
        foreach (var (table, copy) in copies)
            await ExecAsync(conn, null, $"DROP TABLE IF EXISTS {copy}; CREATE TABLE {copy} (LIKE {table} INCLUDING ALL);", ct);
    }

    /// <summary>Readers of the live tables wait from the lock to the commit (a moment), then read the copies.</summary>
    public static async Task SwapAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyDictionary<string, string> copies, CancellationToken ct)
    {
        await ExecAsync(conn, tx, $"LOCK TABLE {string.Join(", ", copies.Keys)} IN ACCESS EXCLUSIVE MODE", ct);
        foreach (var (table, copy) in copies)
        {
            await ExecAsync(conn, tx, $"DROP TABLE {table}; ALTER TABLE {copy} RENAME TO {table};", ct);
            await RenameIndexesAsync(conn, tx, table, copy, ct);
        }
    }

    /// <summary>Indexes of the copy keep the suffix in their names; give them the live names back.</summary>
    private static async Task RenameIndexesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string table, string copy, CancellationToken ct)
    {
        var renames = new List<(string From, string To)>();
        await using (var cmd = new NpgsqlCommand("SELECT indexname FROM pg_indexes WHERE tablename = $1", conn, tx))
        {
            cmd.Parameters.AddWithValue(table);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var index = reader.GetString(0);
                if (index.Contains(copy, StringComparison.Ordinal))
                    renames.Add((index, index.Replace(copy, table, StringComparison.Ordinal)));
            }
        }
        foreach (var (from, to) in renames)
            await ExecAsync(conn, tx, $"ALTER INDEX {from} RENAME TO {to}", ct);
    }

    private static async Task ExecAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
