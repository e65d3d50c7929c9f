using System.Net.Http.Json;
using System.Text.Json;
using CaseFlow.Domain.Catalogue;
using CaseFlow.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

/// <summary>
/// Issue 17, 上门服务: a clerk receives a case at the home of an eligible applicant (elderly by the ID number, disabled
/// with the certificate, immobile with the circumstances), naming the staff of the centre who went. The case records
/// it and is a window receipt for every rule: the notice period, acceptance, deemed acceptance against the receiving
/// clerk. Refusals write nothing and take no case number.
/// </summary>
public sealed class HomeServiceTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private const string Pension = "361130-000201002";
    private static readonly DateTimeOffset Friday = DateTimeOffset.Parse("2025-09-26T09:30:00+08:00", System.Globalization.CultureInfo.InvariantCulture);

    private static object Receipt(object? homeService, string idNumber = "11010519491231002X", string kind = "Person", string[]? materials = null) => new
    {
        windowId = "window-tw-1", itemId = ServiceItemId.For(Pension), homeService,
        applicant = kind == "Person"
            ? (object)new { kind, name = "刘建国", residentIdNumber = idNumber, phone = "13907971234" }
            : new { kind, name = "宁都县梅江镇城南村股份经济合作社", creditCode = "91361130MA35XXXXXK", legalRepresentative = "刘建国" },
        materials = (materials ?? ["M00", "M01", "M04", "M05"]).Select(code => new { code, state = "Present" }).ToArray(),
    };

    private static object Home(string reason = "Elderly", string? details = null, string? certificate = null, string[]? staff = null, string? address = "梅江镇城南村12号") =>
        new { reason, reasonDetails = details, certificateNumber = certificate, address, staffIds = staff ?? ["clerk-tw-1", "clerk-tw-2"] };

    private async Task<(Guid Id, string Number)> ReceiveAsync(HttpClient clerk, object body)
    {
        var response = await clerk.PostAsJsonAsync("/api/window/cases", body);
        Assert.True(201 == (int)response.StatusCode, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return (id, (await clerk.GetFromJsonAsync<JsonElement>($"/api/window/cases/{id}")).GetProperty("caseNumber").GetString()!);
    }

    [Fact]
    public async Task A_case_received_at_home_records_reason_and_staff_and_follows_every_window_rule()
    {
        api.Clock.Set(Friday);
        var clerk = api.As("clerk-tw-1");
        var (id, _) = await ReceiveAsync(clerk, Receipt(Home()));
        var view = await clerk.GetFromJsonAsync<JsonElement>($"/api/window/cases/{id}");
        Assert.Equal("Window", view.GetProperty("channel").GetString());
        var mode = view.GetProperty("serviceMode");
        Assert.Equal("Elderly", mode.GetProperty("homeServiceReason").GetString());
        Assert.Equal("梅江镇城南村12号", mode.GetProperty("homeAddress").GetString());
        Assert.Equal(["clerk-tw-1", "clerk-tw-2"], mode.GetProperty("staffWhoWent").EnumerateArray().Select(s => s.GetProperty("staffId").GetString()));
        Assert.Equal("2025-10-10", view.GetProperty("noticePeriodEndsOn").GetString()); // as any window receipt that Friday
        Assert.Contains(view.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("event").GetString() == "case.received_at_home.v1");

        // The supervisor's audit sees who went, in plain Chinese, and not the address.
        var audit = await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>($"/api/cases/{id}/timeline");
        Assert.Contains("上门服务收件", audit.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("城南村12号", audit.GetRawText(), StringComparison.Ordinal);

        // Accepted like any case; another left alone is deemed accepted after 5 working days against the receiving clerk.
        Assert.Equal(200, (int)(await clerk.PostAsJsonAsync($"/api/window/cases/{id}/acceptance", new { })).StatusCode);
        Assert.Equal("Accepted", (await clerk.GetFromJsonAsync<JsonElement>($"/api/window/cases/{id}")).GetProperty("status").GetString());
        var (idle, _) = await ReceiveAsync(clerk, Receipt(Home("Disabled", certificate: "36113019490312001244")));
        api.Clock.Set(DateTimeOffset.Parse("2025-10-11T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        await api.Services.GetRequiredService<CaseSweeper>().RunOnceAsync();
        var deemed = await clerk.GetFromJsonAsync<JsonElement>($"/api/window/cases/{idle}");
        Assert.True(deemed.GetProperty("acceptance").GetProperty("deemed").GetBoolean());
        Assert.Equal(DemoStaffName("clerk-tw-1"), deemed.GetProperty("acceptance").GetProperty("responsibleName").GetString());
        api.Clock.Set(Friday);
    }

    private static string DemoStaffName(string id) => Seeding.DemoStaff.Find(id).Name;

    [Fact]
    public async Task Ineligible_or_incomplete_home_receipts_are_refused_and_take_no_case_number()
    {
        api.Clock.Set(Friday);
        var clerk = api.As("clerk-tw-1");
        var (_, before) = await ReceiveAsync(clerk, Receipt(Home("Immobile", details: "长期卧床，无法到中心办理")));

        var young = "361130" + "19900101" + "123";
        young += Domain.Identity.ResidentIdNumber.CheckCharacter(young);
        await (await clerk.PostAsJsonAsync("/api/window/cases", Receipt(Home(), idNumber: young))).ProblemAsync(422, "case.home_service_not_eligible");
        await (await clerk.PostAsJsonAsync("/api/window/cases", Receipt(Home("Disabled")))).ProblemAsync(400, "case.home_service_certificate_required");
        await (await clerk.PostAsJsonAsync("/api/window/cases", Receipt(Home("Immobile")))).ProblemAsync(400, "case.home_service_reason_required");
        await (await clerk.PostAsJsonAsync("/api/window/cases", Receipt(Home(address: " ")))).ProblemAsync(400, "case.home_service_address_required");
        await (await clerk.PostAsJsonAsync("/api/window/cases", Receipt(Home(staff: [])))).ProblemAsync(400, "case.home_service_staff_required");
        await (await clerk.PostAsJsonAsync("/api/window/cases", Receipt(Home(staff: ["clerk-tw-1", "clerk-cty-1"])))).ProblemAsync(422, "case.home_service_staff_unknown");
        await (await clerk.PostAsJsonAsync("/api/window/cases", Receipt(Home(), kind: "Organisation"))).ProblemAsync(422, "case.home_service_person_only");
        var agent = await api.As("agent-cn-1").PostAsJsonAsync("/api/window/cases", new
        {
            itemId = ServiceItemId.For(Pension), homeService = Home(staff: ["agent-cn-1"]),
            applicant = new { kind = "Person", name = "刘建国", residentIdNumber = "11010519491231002X", phone = "13907971234" },
            materials = Array.Empty<object>(), authorisation = new { reference = "WT-001", grantorName = "刘建国", signedOn = "2025-09-26" },
        });
        await agent.ProblemAsync(403, "case.home_service_clerk_only");

        var (_, after) = await ReceiveAsync(clerk, Receipt(Home()));
        Assert.Equal(int.Parse(before[^4..], System.Globalization.CultureInfo.InvariantCulture) + 1, int.Parse(after[^4..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
