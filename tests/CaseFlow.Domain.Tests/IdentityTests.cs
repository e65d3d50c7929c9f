using CaseFlow.Domain.Identity;

namespace CaseFlow.Domain.Tests;

public sealed class IdentityTests
{
    [Theory]
    [InlineData("11010519491231002X", true)]   // the GB 11643 standard's own example
    [InlineData("110105194912310021", false)]  // wrong check digit
    [InlineData("11010519491331002X", false)]  // month 13
    [InlineData("11010519491231002", false)]   // 17 characters
    [InlineData("1101051949123100AX", false)]
    public void Resident_id_numbers_are_checked_per_GB_11643(string id, bool valid) => Assert.Equal(valid, ResidentIdNumber.IsValid(id));

    [Theory]
    [InlineData("91350100M000100Y43", true)]   // a published sample code
    [InlineData("91350100M000100Y44", false)]
    [InlineData("91350100M000100I43", false)]  // I is not in the alphabet
    public void Unified_social_credit_codes_are_checked_per_GB_32100(string code, bool valid) => Assert.Equal(valid, UnifiedSocialCreditCode.IsValid(code));

    [Fact]
    public void Personal_data_is_masked_for_roles_that_do_not_need_it()
    {
        Assert.Equal("110105********002X", ResidentIdNumber.Mask("11010519491231002X"));
        Assert.Equal("139****1234", PhoneNumber.Mask("13907971234"));
    }
}
