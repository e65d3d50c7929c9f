namespace CaseFlow.Domain.Identity;

/// <summary>
/// 统一社会信用代码 per GB 32100-2015: 18 characters from "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, Z, S, V),
/// the last a MOD 31 check character over the first 17. DOMAIN.md §8.
/// </summary>
public static class UnifiedSocialCreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public static bool IsValid(string? value)
    {
        if (value is not { Length: 18 })
            return false;
        var upper = value.ToUpperInvariant();
        foreach (var ch in upper)
        {
            if (!Alphabet.Contains(ch, StringComparison.Ordinal))
                return false;
        }
        return upper[17] == CheckCharacter(upper.AsSpan(0, 17));
    }

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
            sum += Alphabet.IndexOf(first17[i], StringComparison.Ordinal) * Weights[i];
        var check = (31 - (sum % 31)) % 31;
        return Alphabet[check];
    }

    /// <summary>Masked for roles that do not need it: registration-authority and region part and the last 4 shown.</summary>
    public static string Mask(string value) =>
        value.Length == 18 ? string.Concat(value.AsSpan(0, 8), "******", value.AsSpan(14)) : "******";
}
