namespace CaseFlow.Domain.Identity;

/// <summary>
/// 居民身份证号码 per GB 11643-1999: 17 digits (6 address code, 8 birth date, 3 sequence) and an
/// ISO 7064 MOD 11-2 check character (0-9 or X). DOMAIN.md §8.
/// </summary>
public static class ResidentIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckChars = "10X98765432";

    public static bool IsValid(string? value)
    {
        if (value is not { Length: 18 })
            return false;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
                return false;
        }
        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", out _))
            return false;
        return char.ToUpperInvariant(value[17]) == CheckCharacter(value.AsSpan(0, 17));
    }

    /// <summary>The MOD 11-2 check character for the first 17 digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
            sum += (first17[i] - '0') * Weights[i];
        return CheckChars[sum % 11];
    }

    /// <summary>Masked for roles that do not need it: first 6 and last 4 shown (3301**********123X).</summary>
    public static string Mask(string value) =>
        value.Length == 18 ? string.Concat(value.AsSpan(0, 6), "********", value.AsSpan(14)) : "******";
}
