using CaseFlow.Domain.Common;
using CaseFlow.Domain.Organisation;

namespace CaseFlow.Domain.Tests;

public sealed class OrganisationRulesTests
{
    private static readonly Actor Admin = new("admin-1", "管理员", Role.Admin, "admin", "县行政审批局", Channel.BackOffice);
    private static readonly DateTimeOffset T = new(2025, 9, 29, 8, 30, 0, TimeSpan.FromHours(8));

    private static Post AbPost(params Absence[] absences) => new(Guid.CreateVersion7(), "a", "b", absences);

    [Theory]
    [InlineData(0, 4, true)]   // overlaps A's whole absence
    [InlineData(47, 49, true)] // overlaps its last hour
    [InlineData(48, 50, false)] // starts when A is back
    public void B_may_not_be_away_while_A_is(int fromHours, int toHours, bool refused)
    {
        var post = AbPost(new Absence("a", T, T.AddHours(48)));
        var decision = Post.Decide(new DeclareAbsence(Guid.CreateVersion7(), "b", Whereabouts.Meeting, T.AddHours(fromHours), T.AddHours(toHours), null), post, Admin, T);
        Assert.Equal(refused ? "organisation.post_uncovered" : null, decision.Error?.Code);
    }

    [Fact]
    public void A_post_needs_two_different_holders()
    {
        var decision = Post.Decide(new CreatePost(Guid.CreateVersion7(), Guid.CreateVersion7(), "岗", "x", "甲", "x", "甲"), Post.Kind.Initial, Admin, T);
        Assert.Equal("organisation.ab_holders_required", decision.Error!.Code);
    }
}
