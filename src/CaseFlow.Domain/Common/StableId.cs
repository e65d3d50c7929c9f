namespace CaseFlow.Domain.Common;

/// <summary>Stable, name-derived stream ids (one region one centre, one code one item, one year one calendar).</summary>
public static class StableId
{
    public static Guid For(string kind, string key)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"caseflow/{kind}/{key.Trim()}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
