using System.Text.RegularExpressions;

namespace CaseFlow.Domain.Identity;

/// <summary>Mainland mobile (11 digits starting 1[3-9]) or landline with area code (0xx-xxxxxxx).</summary>
public static partial class PhoneNumber
{
    public static bool IsValid(string value) => Pattern().IsMatch(value.Trim());

    /// <summary>Masked for roles that do not need the full number (DOMAIN.md §8): 138****5678.</summary>
    public static string Mask(string value) =>
        value.Length >= 7 ? string.Concat(value.AsSpan(0, 3), new string('*', value.Length - 7), value.AsSpan(value.Length - 4)) : "****";

    [GeneratedRegex(@"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")]
    private static partial Regex Pattern();
}
