using System.Globalization;
using Bogus;

namespace CaseFlow.Api.Seeding;

/// <summary>Valid-looking demo identity numbers: real structure and check digit (GB 11643), invented people.</summary>
public static class DemoIdentity
{
    /// <summary>A 宁都县 (361130) resident born 1940–2000, with the ISO 7064 MOD 11-2 check character.</summary>
    public static string ResidentIdNumber(Faker faker)
    {
        var born = new DateOnly(1940, 1, 1).AddDays(faker.Random.Int(0, 365 * 60));
        var first17 = string.Create(CultureInfo.InvariantCulture, $"361130{born:yyyyMMdd}{faker.Random.Int(0, 999):D3}");
        return first17 + Domain.Identity.ResidentIdNumber.CheckCharacter(first17);
    }
}
