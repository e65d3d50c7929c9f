using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseFlow.Api.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CaseFlow.Api.Tests;

public sealed class CatalogueTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    private static JsonObject Definition(string code, int statutory, int promised) => new()
    {
        ["basicCode"] = "00020100220",
        ["implementationCode"] = code,
        ["name"] = "测试事项" + code,
        ["itemType"] = "05",
        ["category"] = "社会保障",
        ["acceptanceLevel"] = "Township",
        ["decisionLevel"] = "County",
        ["agentMaySubmit"] = true,
        ["caseKind"] = "Promised",
        ["statutoryLimitWorkingDays"] = statutory,
        ["promisedLimitWorkingDays"] = promised,
        ["materials"] = new JsonArray(
            new JsonObject { ["code"] = "M01", ["name"] = "申请人居民身份证", ["required"] = true, ["key"] = true, ["original"] = true, ["copies"] = 1, ["commitmentAllowed"] = false },
            new JsonObject { ["code"] = "M02", ["name"] = "户口簿", ["required"] = true, ["key"] = false, ["original"] = true, ["copies"] = 1, ["commitmentAllowed"] = true }),
        ["handlingDepartments"] = new JsonArray("dept-361130-rsj"),
        ["steps"] = new JsonArray(
            new JsonObject { ["name"] = "承办", ["departmentId"] = "dept-361130-rsj", ["shareWorkingDays"] = Math.Max(1, promised / 2) },
            new JsonObject { ["name"] = "决定", ["departmentId"] = "dept-361130-rsj", ["shareWorkingDays"] = promised - Math.Max(1, promised / 2) }),
        ["feeYuan"] = 0,
        ["legalBasis"] = "《中华人民共和国社会保险法》",
    };

    [Fact]
    public async Task The_demo_catalogue_has_thirty_items_across_the_ten_categories_published_as_events()
    {
        var items = (await api.As("clerk-tw-1").GetFromJsonAsync<JsonElement>("/api/catalogue/items")).GetProperty("items");
        Assert.True(items.GetArrayLength() >= 30, $"{items.GetArrayLength()} items");
        var categories = items.EnumerateArray().Select(i => i.GetProperty("definition").GetProperty("category").GetString()).Distinct().ToList();
        foreach (var category in new[] { "社会保障", "医疗保障", "民政", "户籍", "退役军人", "卫生健康", "农村建房", "不动产登记", "市场主体登记", "公用事业报装" })
            Assert.Contains(category, categories);
        Assert.True(await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_event_log WHERE type = 'catalogue.service_item_published.v1'") >= 30);
    }

    [Fact]
    public async Task A_clerk_finds_an_item_by_code_or_keyword_with_its_complete_checklist_in_one_call()
    {
        var clerk = api.As("clerk-tw-1");
        var byKeyword = (await clerk.GetFromJsonAsync<JsonElement>("/api/catalogue/items?q=宅基地")).GetProperty("items");
        var item = Assert.Single(byKeyword.EnumerateArray());
        var definition = item.GetProperty("definition");
        Assert.Equal("农村村民宅基地和建房（规划许可）审批", definition.GetProperty("name").GetString());
        var materials = definition.GetProperty("materials").EnumerateArray().ToList();
        Assert.Contains(materials, m => m.GetProperty("name").GetString() == "村民小组会议记录及公示材料" && m.GetProperty("key").GetBoolean());
        Assert.All(materials, m => Assert.True(m.TryGetProperty("commitmentAllowed", out _)));

        var code = definition.GetProperty("implementationCode").GetString();
        var byCode = (await clerk.GetFromJsonAsync<JsonElement>($"/api/catalogue/items?code={code}")).GetProperty("items");
        Assert.Equal(item.GetProperty("id").GetGuid(), Assert.Single(byCode.EnumerateArray()).GetProperty("id").GetGuid());

        var byCategory = (await clerk.GetFromJsonAsync<JsonElement>("/api/catalogue/items?category=民政")).GetProperty("items");
        Assert.All(byCategory.EnumerateArray(), i => Assert.Equal("民政", i.GetProperty("definition").GetProperty("category").GetString()));
    }

    [Fact]
    public async Task Revising_an_item_keeps_the_earlier_revision_unchanged()
    {
        var admin = api.As("admin-1");
        var created = await admin.PostAsJsonAsync("/api/admin/catalogue/items", Definition("361130-T-REV", 20, 10));
        Assert.Equal(201, (int)created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var revised = Definition("361130-T-REV", 20, 6);
        ((JsonArray)revised["materials"]!).Add(new JsonObject { ["code"] = "M03", ["name"] = "新增材料", ["required"] = true, ["key"] = false, ["original"] = false, ["copies"] = 1, ["commitmentAllowed"] = false });
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/admin/catalogue/items/{id}") { Content = JsonContent.Create(new JsonObject { ["definition"] = revised, ["changeNote"] = "压缩承诺时限，增加材料" }) };
        request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
        Assert.Equal(200, (int)(await admin.SendAsync(request)).StatusCode);

        var clerk = api.As("clerk-tw-1");
        var first = await clerk.GetFromJsonAsync<JsonElement>($"/api/catalogue/items/{id}/revisions/1");
        Assert.Equal(10, first.GetProperty("definition").GetProperty("promisedLimitWorkingDays").GetInt32());
        Assert.Equal(2, first.GetProperty("definition").GetProperty("materials").GetArrayLength());
        var current = await clerk.GetFromJsonAsync<JsonElement>($"/api/catalogue/items/{id}");
        Assert.Equal(2, current.GetProperty("revision").GetInt32());
        Assert.Equal(6, current.GetProperty("definition").GetProperty("promisedLimitWorkingDays").GetInt32());
        Assert.Equal(3, current.GetProperty("definition").GetProperty("materials").GetArrayLength());

        var audit = await api.Db.ScalarAsync<string>("SELECT (data->'before'->>'promisedLimitWorkingDays') || '→' || (data->'after'->>'promisedLimitWorkingDays') FROM cf_event_log WHERE stream_id = $1 AND version = 2", id);
        Assert.Equal("10→6", audit);
    }

    [Fact]
    public async Task An_item_promising_more_than_the_statutory_limit_is_refused_with_a_code_naming_the_rule()
    {
        var response = await api.As("admin-1").PostAsJsonAsync("/api/admin/catalogue/items", Definition("361130-T-BAD", 10, 15));
        await response.ProblemAsync(400, "catalogue.promised_exceeds_statutory");
        Assert.Equal(0L, await api.Db.ScalarAsync<long>("SELECT count(*) FROM cf_service_items WHERE implementation_code = '361130-T-BAD'"));
    }

    [Fact]
    public async Task One_implementation_code_is_one_item_and_only_administrators_maintain_the_catalogue()
    {
        var admin = api.As("admin-1");
        Assert.Equal(201, (int)(await admin.PostAsJsonAsync("/api/admin/catalogue/items", Definition("361130-T-DUP", 20, 10))).StatusCode);
        await (await admin.PostAsJsonAsync("/api/admin/catalogue/items", Definition("361130-T-DUP", 20, 8))).ProblemAsync(422, "catalogue.item_exists");
        await (await api.As("clerk-tw-1").PostAsJsonAsync("/api/admin/catalogue/items", Definition("361130-T-CLK", 20, 10))).ProblemAsync(403, "auth.forbidden");
    }
}

public sealed class BundleTests(DemoApiFactory api) : IClassFixture<DemoApiFactory>
{
    [Fact]
    public async Task The_three_bundles_of_the_seeds_are_in_the_catalogue_with_their_limits()
    {
        var bundles = (await api.As("clerk-cty-1").GetFromJsonAsync<JsonElement>("/api/catalogue/bundles")).GetProperty("items");
        var byName = bundles.EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!, b => b);
        Assert.Equal(1, byName["企业开办“一件事”"].GetProperty("combinedPromisedLimitWorkingDays").GetInt32());
        Assert.Equal(3, byName["不动产交易、登记、缴税“一件事”"].GetProperty("combinedPromisedLimitWorkingDays").GetInt32());
        var construction = byName["工程建设项目审批“一件事”"];
        Assert.Equal(60, construction.GetProperty("combinedPromisedLimitWorkingDays").GetInt32());
        Assert.Equal(45, construction.GetProperty("jointStatutoryLimitWorkingDays").GetInt32());
        Assert.True(byName["企业开办“一件事”"].GetProperty("coDepartmentIds").GetArrayLength() >= 2);
    }

    [Theory]
    [InlineData(50, 60, "catalogue.bundle_joint_limit_exceeded")]
    [InlineData(20, 40, "catalogue.bundle_promised_exceeds_statutory")]
    public async Task A_bundle_beyond_the_joint_limits_is_refused(int jointStatutory, int promised, string code)
    {
        var response = await api.As("admin-1").PostAsJsonAsync("/api/admin/catalogue/bundles", new
        {
            code = $"YJS-T-{jointStatutory}-{promised}", name = "测试一件事", itemCodes = new[] { "361130-001201001", "361130-001201002" },
            leadDepartmentId = "dept-361130-zrzyj", coDepartmentIds = new[] { "dept-361130-zjj" },
            combinedPromisedLimitWorkingDays = promised, jointStatutoryLimitWorkingDays = jointStatutory,
        });
        await response.ProblemAsync(400, code);
    }

    [Fact]
    public async Task A_bundle_of_items_not_in_the_catalogue_is_refused()
    {
        var response = await api.As("admin-1").PostAsJsonAsync("/api/admin/catalogue/bundles", new
        {
            code = "YJS-T-UNKNOWN", name = "测试一件事", itemCodes = new[] { "361130-001201001", "361130-NOPE" },
            leadDepartmentId = "dept-361130-zrzyj", coDepartmentIds = Array.Empty<string>(),
            combinedPromisedLimitWorkingDays = 10, jointStatutoryLimitWorkingDays = 20,
        });
        var problem = await response.ProblemAsync(400, "catalogue.bundle_item_unknown");
        Assert.Contains("361130-NOPE", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
