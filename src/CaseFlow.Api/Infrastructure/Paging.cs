using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace CaseFlow.Api.Infrastructure;

/// <summary>
/// One page of a collection (issue 16, README "Lists"): the rows, the cursor of the next page (<c>null</c> on the
/// last page), the number of rows the whole collection holds under the same filter where that is cheap to count
/// (<c>null</c> where it is not), and the page size that was used.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor, long? Total, int Limit)
{
    /// <summary>The same page with each row made into another.</summary>
    public Page<TOut> Map<TOut>(Func<T, TOut> row) => new(Items.Select(row).ToList(), NextCursor, Total, Limit);
}

/// <summary>The type of one value of a list's sort key, as a cursor carries it.</summary>
public enum CursorKey
{
    Text,
    Number,
    Guid,
    Instant,
    Date,
}

/// <summary>
/// What a client asked of a list: <c>limit</c> (1–<see cref="Paging.MaxLimit"/>, default
/// <see cref="Paging.DefaultLimit"/>) and <c>cursor</c> (opaque, the <c>nextCursor</c> of the page before). <see cref="After"/>
/// holds the sort key of the last row already seen, typed as the list declared it, or <c>null</c> for the first page.
/// </summary>
public sealed record PageRequest(string List, int Limit, IReadOnlyList<object>? After)
{
    public T Key<T>(int index) => (T)After![index];

    /// <summary>The sort key's value <paramref name="index"/> as a typed SQL parameter: <c>NULL</c> on the first page (<c>$n IS NULL OR (…) &lt; (…)</c>).</summary>
    public NpgsqlParameter Param(int index, NpgsqlDbType type) =>
        new() { Value = After is null ? DBNull.Value : After[index], NpgsqlDbType = type };

    /// <summary>
    /// The page of a collection held in memory (a few dozen rows: the projections, the demo staff, a case's documents):
    /// ordered by <paramref name="keyOf"/> ascending (texts by ordinal), the rows after the cursor's key; the total is
    /// the collection's size.
    /// </summary>
    public Page<T> PageOfAll<T>(IEnumerable<T> all, Func<T, object[]> keyOf)
    {
        var sorted = all.Select(r => (Row: r, Key: keyOf(r))).OrderBy(r => r.Key, Paging.KeyOrder).ToList();
        var after = After is null ? sorted : sorted.Where(r => Paging.KeyOrder.Compare(r.Key, After.ToArray()) > 0).ToList();
        return PageOf(after.Take(Limit + 1).Select(r => r.Row).ToList(), keyOf, sorted.Count);
    }

    /// <summary>
    /// The page from rows read with <c>LIMIT limit + 1</c> in the list's order: the extra row only tells that a next
    /// page exists; the next cursor is the key of the last row returned.
    /// </summary>
    public Page<T> PageOf<T>(IReadOnlyList<T> rowsPlusOne, Func<T, object[]> keyOf, long? total = null)
    {
        if (rowsPlusOne.Count <= Limit)
            return new Page<T>(rowsPlusOne, null, total, Limit);
        var items = rowsPlusOne.Take(Limit).ToList();
        return new Page<T>(items, Paging.CursorFor(List, keyOf(items[^1])), total, Limit);
    }
}

/// <summary>
/// The one list convention (issue 16): keyset paging on a stable sort key ending in a unique id, so that a page never
/// repeats or skips a row when rows are added meanwhile, and reading page 1,000 costs what page 1 does. The cursor is
/// base64url JSON <c>{"l": list, "k": [key…]}</c>; it is opaque to clients, and one list's cursor is refused by
/// another (400 <c>list.cursor_invalid</c>).
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>
    /// The longest cursor read: a sort key of texts (a catalogue item's category and name, up to 200 characters each,
    /// three bytes each in UTF-8) and instants, as base64url JSON, stays well within it.
    /// </summary>
    public const int MaxCursorLength = 4096;

    /// <summary>Reads <c>limit</c> and <c>cursor</c> for the list named <paramref name="list"/> whose sort key is <paramref name="shape"/>.</summary>
    public static (PageRequest? Request, IResult? Problem) Read(string list, int? limit, string? cursor, params CursorKey[] shape)
    {
        if (limit is < 1 or > MaxLimit)
            return (null, Problems.Problem(StatusCodes.Status400BadRequest, "list.limit_out_of_range",
                $"每页条数 limit 须在 1 至 {MaxLimit} 之间。"));
        var size = limit ?? DefaultLimit;
        if (string.IsNullOrEmpty(cursor))
            return (new PageRequest(list, size, null), null);
        var keys = Decode(list, cursor, shape);
        return keys is null
            ? (null, Problems.Problem(StatusCodes.Status400BadRequest, "list.cursor_invalid",
                "翻页游标 cursor 无效：请使用上一页返回的 nextCursor，或去掉 cursor 从第一页开始。"))
            : (new PageRequest(list, size, keys), null);
    }

    /// <summary>Sort keys compared value by value: texts by ordinal, everything else by its own order.</summary>
    public static readonly IComparer<object[]> KeyOrder = Comparer<object[]>.Create((a, b) =>
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var c = (a[i], b[i]) switch
            {
                (string x, string y) => string.CompareOrdinal(x, y),
                (int or long, int or long) => Convert.ToInt64(a[i], CultureInfo.InvariantCulture).CompareTo(Convert.ToInt64(b[i], CultureInfo.InvariantCulture)),
                _ => Comparer<object>.Default.Compare(a[i], b[i]),
            };
            if (c != 0)
                return c;
        }
        return a.Length.CompareTo(b.Length);
    });

    public static string CursorFor(string list, object[] key)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new CursorBody(list, key.Select(Format).ToArray()));
        return Base64Url.EncodeToString(json);
    }

    private static string Format(object value) => value switch
    {
        DateTimeOffset t => t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static object[]? Decode(string list, string cursor, CursorKey[] shape)
    {
        if (cursor.Length > MaxCursorLength)
            return null;
        try
        {
            var body = JsonSerializer.Deserialize<CursorBody>(Base64Url.DecodeFromChars(cursor));
            if (body is null || body.L != list || body.K is null || body.K.Length != shape.Length)
                return null;
            var keys = new object[shape.Length];
            for (var i = 0; i < shape.Length; i++)
            {
                object? key = shape[i] switch
                {
                    CursorKey.Text => body.K[i],
                    CursorKey.Number => long.TryParse(body.K[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null,
                    CursorKey.Guid => Guid.TryParse(body.K[i], out var g) ? g : null,
                    CursorKey.Instant => DateTimeOffset.TryParse(body.K[i], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : null,
                    CursorKey.Date => DateOnly.TryParseExact(body.K[i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null,
                    _ => null,
                };
                if (key is null)
                    return null;
                keys[i] = key;
            }
            return keys;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or DecoderFallbackException)
        {
            return null;
        }
    }

    private sealed record CursorBody(string L, string?[] K);
}
