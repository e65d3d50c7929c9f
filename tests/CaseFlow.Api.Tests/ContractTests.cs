using System.Text.Json;
using System.Text.Json.Nodes;
using CaseFlow.Api.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CaseFlow.Api.Tests;

public sealed class ContractTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    /// <summary>
    /// contracts/openapi.json is the committed contract. When the served document drifts, this fails; to accept a
    /// change on purpose, run the tests with CASEFLOW_UPDATE_CONTRACTS=1 and commit the new file.
    /// </summary>
    [Fact]
    public async Task The_served_openapi_document_matches_the_committed_contract()
    {
        var served = JsonNode.Parse(await api.Anonymous().GetStringAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative)))!;
        var text = served.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        var path = Path.Combine(CaseFlow.Testing.Repository.Root, "contracts", "openapi.json");
        if (Environment.GetEnvironmentVariable("CASEFLOW_UPDATE_CONTRACTS") == "1")
            await File.WriteAllTextAsync(path, text);
        Assert.True(File.Exists(path), "contracts/openapi.json is missing: run the tests once with CASEFLOW_UPDATE_CONTRACTS=1");
        Assert.Equal(await File.ReadAllTextAsync(path), text);
    }

    [Fact]
    public async Task With_a_connection_string_configured_no_embedded_cluster_is_started()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:CaseFlow"] = api.Db.ConnectionString,
            ["CaseFlow:EmbeddedDatabase:DataDirectory"] = "/nonexistent/must-not-be-created",
        }).Build();
        var (connectionString, embedded) = await Database.ResolveAsync(configuration, NullLogger.Instance);
        Assert.Null(embedded);
        Assert.Equal(api.Db.ConnectionString, connectionString);
        Assert.False(Directory.Exists("/nonexistent/must-not-be-created"));
    }
}
