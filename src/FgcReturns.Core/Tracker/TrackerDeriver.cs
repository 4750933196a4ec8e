using System.Globalization;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Tracker;

/// <summary>
/// Computes aggregate items from tracker rows by the definition's derivation rules (pure; no I/O). Families are told
/// apart by the tracker's family key, so a family referred twice counts once.
/// </summary>
public static class TrackerDeriver
{
    /// <summary>Item and grid-cell keys to canonical stored text ("not recorded" as null), for every derived item.</summary>
    public static Dictionary<string, string?> Derive(SurveyDefinition definition, IReadOnlyList<TrackerRow> rows, DateOnly periodStart, DateOnly periodEnd)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(rows);
        var tracker = definition.Tracker ?? throw new InvalidOperationException($"{definition} declares no tracker.");
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var derivation in tracker.Derivations)
        {
            var question = definition.FindQuestion(derivation.ItemKey)!;
            var matching = rows.Where(r => InPeriod(r, derivation.InPeriod, periodStart, periodEnd) && derivation.Where.All(c => Holds(r, c))).ToList();
            if (derivation.UnlessFamily.Count > 0)
            {
                var excluded = rows.Where(r => InPeriod(r, derivation.InPeriod, periodStart, periodEnd) && derivation.UnlessFamily.All(c => Holds(r, c)))
                    .Select(r => Family(r, tracker)).ToHashSet(StringComparer.Ordinal);
                matching = matching.Where(r => !excluded.Contains(Family(r, tracker))).ToList();
            }

            if (derivation.Kind == DerivationKind.MedianWorkingDays)
            {
                var days = matching.GroupBy(r => Family(r, tracker))
                    .Select(g => g.OrderBy(r => r.Dates[derivation.InPeriod]).ThenBy(r => r.Number).First())
                    .Where(r => r.Dates.ContainsKey(derivation.FromColumn!) && r.Dates.ContainsKey(derivation.ToColumn!))
                    .Select(r => (decimal)WorkingDays(r.Dates[derivation.FromColumn!], r.Dates[derivation.ToColumn!], tracker.BankHolidays))
                    .OrderBy(d => d)
                    .ToList();
                values[derivation.ItemKey] = days.Count == 0
                    ? (question.AllowNotRecorded ? null : "0")
                    : Median(days).ToString("0.##", CultureInfo.InvariantCulture);
                continue;
            }

            // Each family once, from its latest row in the period: so a grid's rows add up to its total.
            var latest = matching.GroupBy(r => Family(r, tracker))
                .Select(g => g.OrderBy(r => r.Dates[derivation.InPeriod]).ThenBy(r => r.Number).Last())
                .ToList();
            decimal Amount(TrackerRow r) => derivation.Kind == DerivationKind.Sum ? r.Counts.GetValueOrDefault(derivation.SumColumn!) : 1;

            if (question.Grid is { } grid)
            {
                foreach (var row in grid.Rows)
                {
                    var total = latest.Where(r => r.Text.GetValueOrDefault(derivation.By!) == row.Value).Sum(Amount);
                    values[$"{question.Key}.{row.Value}"] = total.ToString(CultureInfo.InvariantCulture);
                }
            }
            else
            {
                values[derivation.ItemKey] = latest.Sum(Amount).ToString(CultureInfo.InvariantCulture);
            }
        }

        return values;
    }

    /// <summary>Working days after <paramref name="from"/> up to and including <paramref name="to"/>, without weekends and bank holidays.</summary>
    public static int WorkingDays(DateOnly from, DateOnly to, IReadOnlySet<DateOnly> bankHolidays)
    {
        ArgumentNullException.ThrowIfNull(bankHolidays);
        var days = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !bankHolidays.Contains(day))
            {
                days++;
            }
        }

        return days;
    }

    private static decimal Median(List<decimal> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2m;

    private static string Family(TrackerRow row, TrackerSpec tracker) => row.Text.GetValueOrDefault(tracker.FamilyKey) ?? "";

    private static bool InPeriod(TrackerRow row, string column, DateOnly start, DateOnly end) =>
        row.Dates.TryGetValue(column, out var date) && date >= start && date <= end;

    private static bool Holds(TrackerRow row, TrackerCondition condition) => condition.Kind switch
    {
        TrackerConditionKind.Present => row.Has(condition.Column),
        TrackerConditionKind.Absent => !row.Has(condition.Column),
        _ => row.Text.TryGetValue(condition.Column, out var value) && condition.Values.Contains(value),
    };
}

/// <summary>What a tracker gives: the computed values, or the problems that stop them being computed.</summary>
public sealed record TrackerComputation(int RowCount, IReadOnlyDictionary<string, string?> Values, IReadOnlyList<TrackerProblem> Problems)
{
    public bool IsClean => Problems.Count == 0;

    /// <summary>Reads and derives in one go: the one path shared by the upload page and the command line.</summary>
    public static TrackerComputation Compute(Stream content, string fileName, long length, SurveyDefinition definition, DateOnly periodStart, DateOnly periodEnd)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Tracker is not { } tracker)
        {
            return new TrackerComputation(0, new Dictionary<string, string?>(), [new TrackerProblem(null, null, $"{definition.Title} {definition.Version} has no tracker.")]);
        }

        var read = TrackerReader.Read(content, fileName, length, tracker, periodEnd);
        if (read.Problems.Count > 0)
        {
            return new TrackerComputation(read.Rows.Count, new Dictionary<string, string?>(), read.Problems);
        }

        if (read.Rows.Count == 0)
        {
            return new TrackerComputation(0, new Dictionary<string, string?>(), [new TrackerProblem(null, null, "The tracker has no rows below its headings.")]);
        }

        return new TrackerComputation(read.Rows.Count, TrackerDeriver.Derive(definition, read.Rows, periodStart, periodEnd), []);
    }

    /// <summary>The financial year "2025-26" as its first and last days.</summary>
    public static bool TryParsePeriod(string period, out DateOnly start, out DateOnly end)
    {
        start = end = default;
        if (period is not { Length: 7 } || period[4] != '-'
            || !int.TryParse(period.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(period.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var next)
            || (year + 1) % 100 != next)
        {
            return false;
        }

        start = new DateOnly(year, 4, 1);
        end = new DateOnly(year + 1, 3, 31);
        return true;
    }
}
