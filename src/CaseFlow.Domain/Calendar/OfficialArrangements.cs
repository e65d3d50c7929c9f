namespace CaseFlow.Domain.Calendar;

/// <summary>
/// The State Council's arrangements that ship with CaseFlow (DOMAIN.md §5.1: 2024–2026). Later years are
/// published by an administrator through the API. Holidays list every day off of each holiday period,
/// weekend days included; make-up workdays are the weekend days declared 上班.
/// </summary>
public static class OfficialArrangements
{
    public static IReadOnlyList<HolidayArrangement> All { get; } =
    [
        // 国办发明电〔2023〕7号
        new(2024,
            [.. Days("2024-01-01", 1), .. Days("2024-02-10", 8), .. Days("2024-04-04", 3), .. Days("2024-05-01", 5),
             .. Days("2024-06-10", 1), .. Days("2024-09-15", 3), .. Days("2024-10-01", 7)],
            [.. Dates("2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12")],
            "国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）"),
        // 国办发明电〔2024〕12号
        new(2025,
            [.. Days("2025-01-01", 1), .. Days("2025-01-28", 8), .. Days("2025-04-04", 3), .. Days("2025-05-01", 5),
             .. Days("2025-05-31", 3), .. Days("2025-10-01", 8)],
            [.. Dates("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11")],
            "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）"),
        new(2026,
            [.. Days("2026-01-01", 3), .. Days("2026-02-15", 9), .. Days("2026-04-04", 3), .. Days("2026-05-01", 5),
             .. Days("2026-06-19", 3), .. Days("2026-09-25", 3), .. Days("2026-10-01", 7)],
            [.. Dates("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10")],
            "国务院办公厅关于2026年部分节假日安排的通知"),
    ];

    private static IEnumerable<DateOnly> Days(string first, int count)
    {
        var start = DateOnly.ParseExact(first, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return Enumerable.Range(0, count).Select(start.AddDays);
    }

    private static IEnumerable<DateOnly> Dates(params string[] days) =>
        days.Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
}
