using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseFlow.Api.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

public sealed class CaseReceiptTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private static readonly object Applicant = new { kind = "Person", name = "刘建国", residentIdNumber = "11010519491231002X", phone = "13907971234" };

    private async Task<(Guid Id, JsonElement Item)> ItemAsync(string keyword)
    {
        var items = (await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>($"/api/window/windows/window-tw-1/catalogue?q={keyword}")).GetProperty("items");
        var item = items.EnumerateArray().First();
        return (item.GetProperty("id").GetGuid(), item);
    }

    [Fact]
    public async Task A_case_keeps_the_limits_and_checklist_of_the_revision_it_was_received_under()
    {
        var (itemId, item) = await ItemAsync("最低生活保障");
        var clerk = api.As("clerk-tw-1");
        var received = await clerk.PostAsJsonAsync("/api/window/cases", new
        {
            windowId = "window-tw-1", itemId, applicant = Applicant,
            materials = new[] { new { code = "M00", state = "Present" }, new { code = "M01", state = "Present" } },
        });
        Assert.Equal(201, (int)received.StatusCode);
        var caseId = (await received.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // The administrator revises the item: a shorter promise and one more material.
        var definition = JsonNode.Parse(item.GetProperty("definition").GetRawText())!.AsObject();
        definition["promisedLimitWorkingDays"] = 15;
        definition["steps"] = new JsonArray(new JsonObject { ["name"] = "承办", ["departmentId"] = "dept-361130-mzj", ["shareWorkingDays"] = 15 });
        ((JsonArray)definition["materials"]!).Add(new JsonObject { ["code"] = "M99", ["name"] = "新增证明", ["required"] = true, ["key"] = false, ["original"] = false, ["copies"] = 1, ["commitmentAllowed"] = false });
        Assert.Equal(200, (int)(await api.As("admin-1").PutAsJsonAsync($"/api/admin/catalogue/items/{itemId}", new { definition, changeNote = "压缩时限" })).StatusCode);

        var view = await clerk.GetFromJsonAsync<JsonElement>($"/api/window/cases/{caseId}");
        Assert.Equal(1, view.GetProperty("itemRevision").GetInt32());
        Assert.Equal(25, view.GetProperty("promisedLimitWorkingDays").GetInt32());
        Assert.DoesNotContain(view.GetProperty("checklist").EnumerateArray(), m => m.GetProperty("code").GetString() == "M99");
        // Every checklist line is on record; what was not ticked is missing.
        var states = view.GetProperty("materials").EnumerateArray().ToDictionary(m => m.GetProperty("code").GetString()!, m => m.GetProperty("state").GetString());
        Assert.Equal("Present", states["M01"]);
        Assert.Equal("Missing", states["M09"]);

        // A case received after the revision gets the new one.
        var later = await clerk.PostAsJsonAsync("/api/window/cases", new { windowId = "window-tw-1", itemId, applicant = Applicant, materials = Array.Empty<object>() });
        var laterView = await clerk.GetFromJsonAsync<JsonElement>($"/api/window/cases/{(await later.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()}");
        Assert.Equal(2, laterView.GetProperty("itemRevision").GetInt32());
        Assert.Equal(15, laterView.GetProperty("promisedLimitWorkingDays").GetInt32());
    }

    [Fact]
    public async Task An_invalid_id_number_or_credit_code_an_item_the_window_may_not_accept_and_another_centres_clerk_write_nothing()
    {
        var (itemId, _) = await ItemAsync("临时救助");
        var clerk = api.As("clerk-tw-1");
        var before = await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log WHERE type = 'case.received.v1'");

        await (await clerk.PostAsJsonAsync("/api/window/cases", new { windowId = "window-tw-1", itemId, applicant = new { kind = "Person", name = "刘建国", residentIdNumber = "110105194912310021" } }))
            .ProblemAsync(400, "identity.resident_id_invalid");
        await (await clerk.PostAsJsonAsync("/api/window/cases", new { windowId = "window-tw-1", itemId, applicant = new { kind = "Organisation", name = "宁都县某某公司", creditCode = "91350100M000100Y44", legalRepresentative = "王五" } }))
            .ProblemAsync(400, "identity.credit_code_invalid");
        var homestead = ((await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>("/api/window/windows/window-tw-2/catalogue?q=宅基地")).GetProperty("items")).EnumerateArray().First().GetProperty("id").GetGuid();
        await (await clerk.PostAsJsonAsync("/api/window/cases", new { windowId = "window-tw-1", itemId = homestead, applicant = Applicant }))
            .ProblemAsync(422, "case.item_not_accepted_here");
        await (await api.As("clerk-cty-1").PostAsJsonAsync("/api/window/cases", new { windowId = "window-tw-1", itemId, applicant = Applicant }))
            .ProblemAsync(403, "organisation.window_of_other_centre");

        Assert.Equal(before, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log WHERE type = 'case.received.v1'"));
    }

    [Fact]
    public async Task An_organisation_with_a_valid_credit_code_is_received()
    {
        var (itemId, _) = await ItemAsync("临时救助");
        var response = await api.As("clerk-tw-1").PostAsJsonAsync("/api/window/cases", new
        {
            windowId = "window-tw-1", itemId, applicant = new { kind = "Organisation", name = "宁都县某某公司", creditCode = "91350100M000100Y43", legalRepresentative = "王五" },
        });
        Assert.Equal(201, (int)response.StatusCode);
    }
}
