using CaseFlow.Persistence.Embedded;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// Which PostgreSQL the host uses: <c>ConnectionStrings:CaseFlow</c> when set (nothing is started), otherwise the
/// embedded cluster (issue 2; ADR: src/CaseFlow.Persistence/Embedded/README.md).
/// </summary>
public static class Database
{
    public static async Task<(string ConnectionString, EmbeddedPostgres? Embedded)> ResolveAsync(IConfiguration configuration, ILogger logger, bool development = true)
    {
        var configured = configuration.GetConnectionString("CaseFlow");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            logger.LogInformation("Using the PostgreSQL server from ConnectionStrings:CaseFlow; no embedded cluster is started");
            return (configured, null);
        }

        var options = configuration.GetSection("CaseFlow:EmbeddedDatabase").Get<EmbeddedPostgresOptions>() ?? new EmbeddedPostgresOptions();
        if (!development)
        {
            // Outside Development: only when asked for, and never without a password (issue 13).
            if (!options.Enabled)
                throw new EmbeddedDatabaseNotEnabledException();
            options.RequirePassword = true;
        }
        var embedded = new EmbeddedPostgres(options, logger);
        await embedded.StartAsync();
        logger.LogInformation("CaseFlow data lives in {DataDirectory} (embedded PostgreSQL on 127.0.0.1:{Port})", embedded.DataDirectory, embedded.Port);
        return (embedded.ConnectionString(), embedded);
    }
}

/// <summary>Outside Development, no connection string and the embedded cluster not enabled: the host refuses to start.</summary>
public sealed class EmbeddedDatabaseNotEnabledException() : Exception(
    "No database configured: set ConnectionStrings__CaseFlow to your PostgreSQL, or CaseFlow__EmbeddedDatabase__Enabled=true to run " +
    "CaseFlow's own cluster on this machine (password-protected, loopback only). Outside Development nothing is started unasked.");
