using System.Net.Http.Json;
using System.Text.Json;
using CaseFlow.Api.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

public sealed class OrganisationTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private static readonly DateTimeOffset Monday = DateTimeOffset.Parse("2025-09-29T08:30:00+08:00", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_clerk_searches_only_what_the_window_accepts_with_complete_checklists()
    {
        var clerk = api.As("clerk-tw-1");
        var livelihood = (await clerk.GetFromJsonAsync<JsonElement>("/api/window/windows/window-tw-1/catalogue")).GetProperty("items");
        var categories = livelihood.EnumerateArray().Select(i => i.GetProperty("definition").GetProperty("category").GetString()).Distinct().ToList();
        Assert.Contains("民政", categories);
        Assert.DoesNotContain("农村建房", categories);
        Assert.DoesNotContain("不动产登记", categories);
        Assert.All(livelihood.EnumerateArray(), i => Assert.True(i.GetProperty("definition").GetProperty("materials").GetArrayLength() >= 2));

        var construction = (await clerk.GetFromJsonAsync<JsonElement>("/api/window/windows/window-tw-2/catalogue?q=宅基地")).GetProperty("items");
        Assert.Equal("农村村民宅基地和建房（规划许可）审批", Assert.Single(construction.EnumerateArray()).GetProperty("definition").GetProperty("name").GetString());
        // An item named one by one (not by category) is accepted there too.
        var single = (await clerk.GetFromJsonAsync<JsonElement>("/api/window/windows/window-tw-2/catalogue?q=361130-001001001")).GetProperty("items");
        Assert.Single(single.EnumerateArray());
        // The livelihood window does not offer the homestead item at all.
        Assert.Empty(((await clerk.GetFromJsonAsync<JsonElement>("/api/window/windows/window-tw-1/catalogue?q=宅基地")).GetProperty("items")).EnumerateArray());
    }

    [Fact]
    public async Task A_clerk_cannot_use_another_centres_window()
    {
        await (await api.As("clerk-tw-1").GetAsync(new Uri("/api/window/windows/window-cty-1/catalogue", UriKind.Relative)))
            .ProblemAsync(403, "organisation.window_of_other_centre");
    }

    [Fact]
    public async Task An_absence_that_would_leave_both_A_and_B_of_a_post_away_is_refused()
    {
        var post = await api.Db.ScalarAsync<Guid>("SELECT post_id FROM cf_posts WHERE a_holder_id = 'clerk-tw-1'");
        var a = api.As("clerk-tw-1");
        var b = api.As("clerk-tw-2");

        var leave = await a.PostAsJsonAsync($"/api/organisation/posts/{post}/absences",
            new { holderId = "clerk-tw-1", whereabouts = "Leave", from = Monday, to = Monday.AddDays(2), note = "病假" });
        Assert.Equal(200, (int)leave.StatusCode);

        var clash = await b.PostAsJsonAsync($"/api/organisation/posts/{post}/absences",
            new { holderId = "clerk-tw-2", whereabouts = "Meeting", from = Monday.AddDays(1), to = Monday.AddDays(1).AddHours(3) });
        await clash.ProblemAsync(422, "organisation.post_uncovered");

        var later = await b.PostAsJsonAsync($"/api/organisation/posts/{post}/absences",
            new { holderId = "clerk-tw-2", whereabouts = "Countryside", from = Monday.AddDays(3), to = Monday.AddDays(3).AddHours(8) });
        Assert.Equal(200, (int)later.StatusCode);

        await (await b.PostAsJsonAsync($"/api/organisation/posts/{post}/absences",
            new { holderId = "clerk-tw-1", whereabouts = "Out", from = Monday.AddDays(5), to = Monday.AddDays(6) })).ProblemAsync(403, "organisation.absence_not_yours");
        Assert.Equal(2L, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_absences WHERE post_id = $1", post));
    }

    [Fact]
    public async Task One_region_has_one_centre_and_supervisors_read_the_organisation()
    {
        var second = await api.As("admin-1").PostAsJsonAsync("/api/admin/organisation/centres",
            new { centreCode = "centre-dup", name = "梅江镇第二便民服务中心", region = new { code = DemoStaff.TownshipRegion, name = "梅江镇", level = "Township", parentCode = DemoStaff.CountyRegion } });
        await second.ProblemAsync(422, "organisation.centre_exists");

        var centres = (await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>("/api/organisation/centres")).GetProperty("items");
        var township = centres.EnumerateArray().Single(c => c.GetProperty("regionCode").GetString() == DemoStaff.TownshipRegion);
        Assert.Equal(DemoStaff.CountyRegion, township.GetProperty("parentCode").GetString());
        Assert.Contains(township.GetProperty("windows").EnumerateArray(), w => w.GetProperty("kind").GetString() == "AgentService");

        await (await api.As("clerk-tw-1").GetAsync(new Uri("/api/organisation/centres", UriKind.Relative))).ProblemAsync(403, "auth.forbidden");
    }
}

public sealed class StaffTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    [Fact]
    public async Task Staff_are_registered_with_role_and_unit_and_approvers_need_a_department()
    {
        var staff = (await api.As("supervisor-cty-1").GetFromJsonAsync<JsonElement>($"/api/organisation/staff?centreId={DemoStaff.TownshipCentre}")).GetProperty("items");
        Assert.Contains(staff.EnumerateArray(), s => s.GetProperty("staffId").GetString() == "clerk-tw-1" && s.GetProperty("role").GetString() == "Clerk");

        var admin = api.As("admin-1");
        Assert.Equal(201, (int)(await admin.PostAsJsonAsync("/api/admin/organisation/staff",
            new { staffId = "clerk-tw-9", name = "新同事", role = "Clerk", unitId = DemoStaff.TownshipCentre, unitName = "梅江镇便民服务中心综合窗口", centreId = DemoStaff.TownshipCentre })).StatusCode);
        await (await admin.PostAsJsonAsync("/api/admin/organisation/staff",
            new { staffId = "approver-x", name = "审批员", role = "Approver", unitId = DemoStaff.CountyCentre, unitName = "县中心", centreId = DemoStaff.CountyCentre }))
            .ProblemAsync(400, "organisation.staff_department_required");
        await (await admin.PostAsJsonAsync("/api/admin/organisation/staff",
            new { staffId = "clerk-tw-9", name = "重复", role = "Clerk", unitId = DemoStaff.TownshipCentre, unitName = "x", centreId = DemoStaff.TownshipCentre }))
            .ProblemAsync(422, "organisation.staff_exists");
    }
}
