using System.Net.Http.Headers;
using CaseFlow.Api.Seeding;
using CaseFlow.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Client.Tests;

/// <summary>
/// One CaseFlow host for the class, as the API tests make theirs (Development, background work off, the clock in
/// the test's hands) over its own database holding the demo. Everything else goes through the generated client.
/// </summary>
public sealed class ClientHost : IAsyncLifetime
{
    private readonly DatabaseFixture _db = new();
    private WebApplicationFactory<Program> _factory = null!;

    public ManualClock Clock { get; } = ManualClock.At("2025-11-03T02:00:00Z"); // 10:00 Beijing, a Monday

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("ConnectionStrings:CaseFlow", _db.ConnectionString);
            b.UseSetting("CaseFlow:Demo:Seed", "false");
            b.UseSetting("CaseFlow:Background:Enabled", "false");
            b.ConfigureServices(s => s.AddSingleton<TimeProvider>(Clock));
        });
        await _factory.Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _db.DisposeAsync();
    }

    /// <summary>The generated client over the host, anonymous (the base address is the HttpClient's).</summary>
    public CaseFlowClient Anonymous() => new(_factory.CreateClient());

    /// <summary>The generated client with a bearer token (from the client's own Development login).</summary>
    public CaseFlowClient WithToken(string token)
    {
        var http = _factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new CaseFlowClient(http);
    }
}
