using CaseFlow.Persistence.Embedded;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// Which PostgreSQL the host uses: <c>ConnectionStrings:CaseFlow</c> when set (nothing is started), otherwise the
/// embedded cluster (issue 2; ADR: src/CaseFlow.Persistence/Embedded/README.md).
/// </summary>
public static class Database
{
    public static async Task<(string ConnectionString, EmbeddedPostgres? Embedded)> ResolveAsync(IConfiguration configuration, ILogger logger)
    {
        var configured = configuration.GetConnectionString("CaseFlow");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            logger.LogInformation("Using the PostgreSQL server from ConnectionStrings:CaseFlow; no embedded cluster is started");
            return (configured, null);
        }

        var options = configuration.GetSection("CaseFlow:EmbeddedDatabase").Get<EmbeddedPostgresOptions>() ?? new EmbeddedPostgresOptions();
        var embedded = new EmbeddedPostgres(options, logger);
        await embedded.StartAsync();
        logger.LogInformation("CaseFlow data lives in {DataDirectory} (embedded PostgreSQL on 127.0.0.1:{Port})", embedded.DataDirectory, embedded.Port);
        return (embedded.ConnectionString(), embedded);
    }
}
