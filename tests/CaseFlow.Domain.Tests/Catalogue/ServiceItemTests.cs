using CaseFlow.Domain.Catalogue;
using CaseFlow.Domain.Common;

namespace CaseFlow.Domain.Tests.Catalogue;

/// <summary>Given an item's state, when an administrator publishes or revises it, then these events or this refusal.</summary>
public sealed class ServiceItemTests
{
    private static readonly Actor Admin = new("admin-1", "邵婷", Role.Admin, "admin", "县行政审批局", Channel.BackOffice);
    private static readonly DateTimeOffset Now = new(2025, 9, 26, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly Guid Id = ServiceItemId.For("361130-000401001");

    private static ServiceItemDefinition Dibao(int statutory = 30, int promised = 25) => new(
        "00040100105", "361130-000401001", "最低生活保障审核确认", "05", "民政", ServiceLevel.Township, ServiceLevel.County, true, CaseKind.Promised,
        statutory, promised,
        [new("M01", "申请人居民身份证", true, true, true, 1, false), new("M02", "户口簿", true, false, true, 1, true)],
        ["dept-361130-mzj"], [new("承办", "dept-361130-mzj", 12), new("审核", "dept-361130-mzj", 6), new("决定", "dept-361130-mzj", 7)], 0m, "《社会救助暂行办法》");

    [Theory]
    [InlineData(20, 25, "catalogue.promised_exceeds_statutory")]
    [InlineData(30, 20, "catalogue.step_shares_exceed_limit")]
    public void Limits_are_checked(int statutory, int promised, string code) =>
        Assert.Equal(code, ServiceItem.Decide(new PublishServiceItem(Id, Dibao(statutory, promised)), ServiceItem.Kind.Initial, Admin, Now).Error!.Code);

    [Fact]
    public void A_key_material_must_be_required_and_an_immediate_case_has_no_limit()
    {
        var optionalKey = Dibao() with { Materials = [new("M01", "申请人居民身份证", false, true, true, 1, false)] };
        Assert.Equal("catalogue.key_material_optional", optionalKey.Validate()!.Code);
        var immediateWithLimit = Dibao() with { CaseKind = CaseKind.Immediate };
        Assert.Equal("catalogue.immediate_has_limit", immediateWithLimit.Validate()!.Code);
    }

    [Fact]
    public void A_revision_records_before_and_after_and_bumps_the_revision()
    {
        var published = ServiceItem.Decide(new PublishServiceItem(Id, Dibao()), ServiceItem.Kind.Initial, Admin, Now);
        var state = ServiceItem.Kind.Fold(published.Events);
        var faster = Dibao() with { PromisedLimitWorkingDays = 20, Steps = [new("承办", "dept-361130-mzj", 10), new("决定", "dept-361130-mzj", 10)] };

        var revised = Assert.IsType<ServiceItemRevised>(Assert.Single(ServiceItem.Decide(new ReviseServiceItem(Id, faster, "压缩时限"), state, Admin, Now).Events));

        Assert.Equal(2, revised.Revision);
        Assert.Equal(25, revised.Before.PromisedLimitWorkingDays);
        Assert.Equal(20, revised.After.PromisedLimitWorkingDays);
        Assert.Equal(20, ServiceItem.Kind.Fold([.. published.Events, revised]).Current!.PromisedLimitWorkingDays);
    }

    [Fact]
    public void Only_an_administrator_maintains_the_catalogue_and_codes_do_not_change()
    {
        var clerk = Admin with { Role = Role.Clerk };
        Assert.Equal("catalogue.admin_only", ServiceItem.Decide(new PublishServiceItem(Id, Dibao()), ServiceItem.Kind.Initial, clerk, Now).Error!.Code);
        var state = ServiceItem.Kind.Fold(ServiceItem.Decide(new PublishServiceItem(Id, Dibao()), ServiceItem.Kind.Initial, Admin, Now).Events);
        Assert.Equal("catalogue.code_immutable",
            ServiceItem.Decide(new ReviseServiceItem(Id, Dibao() with { ImplementationCode = "361130-OTHER" }, "改编码"), state, Admin, Now).Error!.Code);
    }
}
