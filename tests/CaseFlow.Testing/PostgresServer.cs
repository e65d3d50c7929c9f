using CaseFlow.Persistence;
using CaseFlow.Persistence.Embedded;
using Npgsql;
using Xunit;

namespace CaseFlow.Testing;

/// <summary>
/// The real PostgreSQL every test talks to, once per test process: <c>CASEFLOW_TEST_DB</c> (a connection string
/// to an admin database) when set; else a Testcontainers PostgreSQL 15 when a Docker engine answers; otherwise a
/// throwaway cluster from the installed binaries in a temp folder, removed when the process exits (CI here).
/// A migrated template database is made once; each test class clones it (<see cref="DatabaseFixture"/>).
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<Task<(string Admin, string Template)>> Server = new(StartAsync);
    private static EmbeddedPostgres? _embedded;

    public static Task<(string Admin, string Template)> GetAsync() => Server.Value;

    private static async Task<(string Admin, string Template)> StartAsync()
    {
        var admin = Environment.GetEnvironmentVariable("CASEFLOW_TEST_DB");
        if (string.IsNullOrWhiteSpace(admin))
            admin = await TryContainerAsync();
        if (string.IsNullOrWhiteSpace(admin))
        {
            var dir = Path.Combine(Path.GetTempPath(), $"caseflow-test-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
            _embedded = new EmbeddedPostgres(new EmbeddedPostgresOptions { DataDirectory = dir, Ephemeral = true, Database = "postgres" });
            _embedded.RemoveWhenProcessExits();
            await _embedded.StartAsync();
            admin = _embedded.ConnectionString("postgres");
        }

        var template = $"cf_template_{Guid.NewGuid():N}"[..24];
        await ExecAsync(admin, $"CREATE DATABASE {template}");
        var templateConnection = new NpgsqlConnectionStringBuilder(admin) { Database = template, Pooling = false }.ConnectionString;
        await using (var source = NpgsqlDataSource.Create(templateConnection))
            await SchemaMigrator.MigrateAsync(source);
        if (_embedded is null)
            AppDomain.CurrentDomain.ProcessExit += (_, _) => ExecAsync(admin, $"DROP DATABASE IF EXISTS {template} WITH (FORCE)").GetAwaiter().GetResult();
        return (admin, template);
    }

    /// <summary>A PostgreSQL container when a Docker engine answers (and can start the image); null otherwise.</summary>
    private static async Task<string?> TryContainerAsync()
    {
        var socket = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } || File.Exists("/var/run/docker.sock");
        if (!socket)
            return null;
        try
        {
            var container = new Testcontainers.PostgreSql.PostgreSqlBuilder("postgres:15-alpine").Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await container.StartAsync(timeout.Token);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return container.GetConnectionString();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"Docker answered but no PostgreSQL container could be started ({e.GetType().Name}); using the installed binaries.");
            return null;
        }
    }

    internal static async Task ExecAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// One fresh, migrated database per test class (xUnit class fixture), so classes run in parallel without
/// touching each other. Dropped when the class is done.
/// </summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    private string? _admin;

    public string ConnectionString { get; private set; } = "";

    public string DatabaseName { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;


    public async Task InitializeAsync()
    {
        var (admin, template) = await PostgresServer.GetAsync();
        _admin = admin;
        DatabaseName = $"cf_test_{Guid.NewGuid():N}"[..28];
        await PostgresServer.ExecAsync(admin, $"CREATE DATABASE {DatabaseName} TEMPLATE {template}");
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = DatabaseName, Pooling = true, MaxPoolSize = 100 }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (DataSource is not null)
            await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (_admin is not null)
            await PostgresServer.ExecAsync(_admin, $"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)");
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        foreach (var arg in args)
            cmd.Parameters.AddWithValue(arg);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
