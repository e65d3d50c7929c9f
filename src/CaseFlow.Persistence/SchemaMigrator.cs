using System.Reflection;
using Npgsql;

namespace CaseFlow.Persistence;

/// <summary>
/// Applies the numbered SQL scripts embedded in this assembly (Schema/NNN_name.sql), in order, each once,
/// each in its own transaction, under an advisory lock so that several hosts starting at once do not race.
/// </summary>
public static class SchemaMigrator
{
    private const long MigrationLockKey = 0x43465F4D4947; // "CF_MIG"

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_lock($1)", conn))
        {
            lockCmd.Parameters.AddWithValue(MigrationLockKey);
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        await using (var init = new NpgsqlCommand(
            "CREATE TABLE IF NOT EXISTS cf_schema_migrations (script text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", conn))
        {
            await init.ExecuteNonQueryAsync(ct);
        }

        try
        {
            var applied = new HashSet<string>();
            await using (var read = new NpgsqlCommand("SELECT script FROM cf_schema_migrations", conn))
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                    applied.Add(reader.GetString(0));
            }

            // Marten's tables first: CaseFlow's views over the event log read them.
            await ApplyMartenSchemaAsync(conn, dataSource, ct);
            foreach (var (name, sql) in Scripts())
            {
                if (applied.Contains(name))
                    continue;
                await using var tx = await conn.BeginTransactionAsync(ct);
                await using (var run = new NpgsqlCommand(sql, conn, tx))
                    await run.ExecuteNonQueryAsync(ct);
                await using (var mark = new NpgsqlCommand("INSERT INTO cf_schema_migrations (script) VALUES ($1)", conn, tx))
                {
                    mark.Parameters.AddWithValue(name);
                    await mark.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", conn);
            unlock.Parameters.AddWithValue(MigrationLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Marten's own tables (events, streams, progress) are Marten's and Weasel's to create, in their schema: applied
    /// here once per database and Marten version, recorded like a script, so a host or a test database cloned from
    /// the migrated template does not compare schemas again at every start (issue 14).
    /// </summary>
    private static async Task ApplyMartenSchemaAsync(NpgsqlConnection conn, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var marker = $"marten/{typeof(global::Marten.DocumentStore).Assembly.GetName().Version}/{Marten.CaseFlowStoreOptions.Schema}";
        await using (var check = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM cf_schema_migrations WHERE script = $1)", conn))
        {
            check.Parameters.AddWithValue(marker);
            if ((bool)(await check.ExecuteScalarAsync(ct))!)
                return;
        }
        var options = new global::Marten.StoreOptions();
        options.Connection(dataSource);
        Marten.CaseFlowStoreOptions.Configure(options);
        using (var store = new global::Marten.DocumentStore(options))
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var mark = new NpgsqlCommand("INSERT INTO cf_schema_migrations (script) VALUES ($1)", conn);
        mark.Parameters.AddWithValue(marker);
        await mark.ExecuteNonQueryAsync(ct);
    }

    public static IEnumerable<(string Name, string Sql)> Scripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        const string prefix = "CaseFlow.Persistence.Schema.";
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (resource[prefix.Length..], reader.ReadToEnd());
        }
    }
}
