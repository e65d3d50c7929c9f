using System.Net.Http.Headers;
using System.Net.Http.Json;
using CaseFlow.Api.Infrastructure;
using CaseFlow.Api.Seeding;
using CaseFlow.Persistence.Projections;
using CaseFlow.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>
/// One host per test class over that class's own database (<see cref="DatabaseFixture"/>), with the clock in the
/// test's hands and background workers off (tests drive the daemon and sweeper passes themselves; Wolverine
/// delivers notifications in every host).
/// </summary>
public class ApiFactory : IAsyncLifetime
{
    private readonly DatabaseFixture _db = new();
    private WebApplicationFactory<Program> _factory = null!;

    public ManualClock Clock { get; } = ManualClock.At("2025-09-26T01:30:00Z"); // 09:30 Beijing, a Friday

    public DatabaseFixture Db => _db;

    public IServiceProvider Services => _factory.Services;

    public virtual async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _factory = TestHosts.Create(_db.ConnectionString, Clock, more: Configure);
        _ = _factory.Server; // start the host
    }

    /// <summary>More host settings for a test class of its own (logging, telemetry, background work).</summary>
    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    /// <summary>Stops the host (flushing its telemetry) before the class is done.</summary>
    public ValueTask StopHostAsync() => _factory.DisposeAsync();

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _db.DisposeAsync();
    }

    public HttpClient Anonymous() => _factory.CreateClient();

    /// <summary>A client logged in as a member of the demo staff.</summary>
    public HttpClient As(string staffId) => _factory.As(staffId);

    public Task CatchUpProjectionsAsync() => Services.GetRequiredService<IProjectionRunner>().CatchUpAllAsync();

    /// <summary>Rebuilds a projection as an operator does: POST (202 and the job), then its status until it ends.</summary>
    public async Task RebuildAsync(string projection)
    {
        var admin = As("admin-1");
        var started = await admin.PostAsync(new Uri($"/api/admin/projections/{projection}/rebuild", UriKind.Relative), null);
        Assert.Equal(202, (int)started.StatusCode);
        var location = started.Headers.Location!;
        for (var i = 0; i < 600; i++)
        {
            var job = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>(location);
            var status = job.GetProperty("status").GetString();
            if (status != "running")
            {
                Assert.Equal("succeeded", status);
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"rebuild of {projection} did not finish");
    }
}

/// <summary>
/// A CaseFlow host over a test database as every test host is made: Development, no demo seed, the clock in the
/// test's hands, background work off unless asked.
/// </summary>
public static class TestHosts
{
    public static WebApplicationFactory<Program> Create(
        string connectionString, TimeProvider clock, bool background = false, Action<IWebHostBuilder>? more = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("ConnectionStrings:CaseFlow", connectionString);
            b.UseSetting("CaseFlow:Demo:Seed", "false");
            b.UseSetting("CaseFlow:Background:Enabled", background ? "true" : "false");
            b.ConfigureServices(s => s.AddSingleton(clock));
            more?.Invoke(b);
        });

    /// <summary>A client of <paramref name="host"/> logged in as a member of the demo staff.</summary>
    public static HttpClient As(this WebApplicationFactory<Program> host, string staffId)
    {
        var client = host.CreateClient();
        var token = Security.IssueToken(host.Services.GetRequiredService<JwtOptions>(), DemoStaff.Find(staffId).Claims(), TimeProvider.System.GetUtcNow());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

/// <summary>A host whose database holds the demo (organisation, staff, catalogue, bundles, inquiries), seeded through commands.</summary>
public sealed class DemoApiFactory : ApiFactory
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync();
    }
}

public static class HttpAssertions
{
    public static async Task<System.Text.Json.JsonElement> ProblemAsync(this HttpResponseMessage response, int status, string code)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        var detail = problem.GetProperty("detail").GetString() ?? "";
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", detail); // a Chinese message a clerk can read
        Assert.DoesNotContain("   at ", problem.ToString(), StringComparison.Ordinal); // never a stack trace
        return problem;
    }
}
