namespace CaseFlow.Api.Tests;

public sealed class SecurityTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/api/window/inquiries")]
    [InlineData("/api/supervision/ledger/inquiries?month=2025-09")]
    [InlineData("/api/admin/projections")]
    public async Task A_request_without_a_token_gets_401_with_problem_details(string path)
    {
        var response = await api.Anonymous().GetAsync(new Uri(path, UriKind.Relative));
        await response.ProblemAsync(401, "auth.unauthenticated");
    }

    [Theory]
    [InlineData("clerk-tw-1", "/api/admin/projections")]
    [InlineData("clerk-tw-1", "/api/supervision/ledger/inquiries?month=2025-09")]
    [InlineData("approver-rsj-1", "/api/window/inquiries")]
    [InlineData("supervisor-cty-1", "/api/admin/projections")]
    public async Task A_token_of_the_wrong_role_gets_403_with_problem_details(string staff, string path)
    {
        var response = await api.As(staff).GetAsync(new Uri(path, UriKind.Relative));
        await response.ProblemAsync(403, "auth.forbidden");
    }

    [Fact]
    public async Task A_forged_token_is_refused()
    {
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        await (await client.GetAsync(new Uri("/api/window/inquiries", UriKind.Relative))).ProblemAsync(401, "auth.unauthenticated");
    }

    [Fact]
    public async Task Health_and_swagger_need_no_token_and_ready_checks_the_database()
    {
        var client = api.Anonymous();
        Assert.Equal(200, (int)(await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(200, (int)ready.StatusCode);
        Assert.Contains("\"database\":{\"status\":\"Healthy\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(200, (int)(await client.GetAsync(new Uri("/swagger/index.html", UriKind.Relative))).StatusCode);
    }
}
