using System.Globalization;

namespace FgcReturns.Core.SurveyDefinitions;

public enum TrackerColumnType { Reference, Date, Count, Choice, YesNo }

/// <summary>One column of the case-level tracker (one row per family referral).</summary>
public sealed record TrackerColumn(
    string Key,
    string Label,
    TrackerColumnType Type,
    bool Required,
    string? Hint,
    IReadOnlyList<ChoiceOption> Options,
    string? NotBefore,
    string? Needs);

public enum TrackerConditionKind { Equals, Present, Absent }

/// <summary>A condition on one column: equal to one of the values, or present, or absent.</summary>
public sealed record TrackerCondition(string Column, TrackerConditionKind Kind, IReadOnlyList<string> Values)
{
    public string Describe(TrackerSpec tracker)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        var column = tracker.FindColumn(Column);
        var label = column?.Label ?? Column;
        return Kind switch
        {
            TrackerConditionKind.Present => $"{label} is filled in",
            TrackerConditionKind.Absent => $"{label} is blank",
            _ => $"{label} is {string.Join(" or ", Values.Select(v => column?.Options.FirstOrDefault(o => o.Value == v)?.Label ?? v))}",
        };
    }
}

public enum DerivationKind { CountFamilies, Sum, MedianWorkingDays }

/// <summary>How one aggregate item is computed from the tracker's rows within the reporting period.</summary>
public sealed record Derivation(
    string ItemKey,
    DerivationKind Kind,
    string InPeriod,
    string? SumColumn,
    string? FromColumn,
    string? ToColumn,
    string? By,
    IReadOnlyList<TrackerCondition> Where,
    IReadOnlyList<TrackerCondition> UnlessFamily)
{
    /// <summary>The rule in plain English, for the preview and the specification workbook.</summary>
    public string Describe(TrackerSpec tracker)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        string Label(string? key) => key is null ? "" : tracker.FindColumn(key)?.Label ?? key;
        var what = Kind switch
        {
            DerivationKind.CountFamilies => "Number of families (distinct " + Label(tracker.FamilyKey) + ")",
            DerivationKind.Sum => "Sum of " + Label(SumColumn) + " (each family once, from its latest row)",
            _ => $"Median working days from {Label(FromColumn)} to {Label(ToColumn)} (each family's first, weekends and bank holidays left out)",
        };
        var parts = new List<string> { what, $"with {Label(InPeriod)} in the reporting period" };
        parts.AddRange(Where.Select(c => "where " + c.Describe(tracker)));
        parts.AddRange(UnlessFamily.Select(c => "except families with a row where " + c.Describe(tracker)));
        if (By is not null)
        {
            parts.Add("one row of the grid for each " + Label(By));
        }

        return string.Join(", ", parts);
    }
}

/// <summary>The case-level tracker a survey definition declares: its columns, and which items it computes and how.</summary>
public sealed class TrackerSpec
{
    public required string FamilyKey { get; init; }
    public required IReadOnlyList<TrackerColumn> Columns { get; init; }
    public required IReadOnlyList<Derivation> Derivations { get; init; }

    /// <summary>England and Wales bank holidays, left out of working days.</summary>
    public required IReadOnlySet<DateOnly> BankHolidays { get; init; }

    public TrackerColumn? FindColumn(string key) => Columns.FirstOrDefault(c => c.Key == key);

    public Derivation? DerivationFor(string itemKey) => Derivations.FirstOrDefault(d => d.ItemKey == itemKey);

    public static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text.Trim(), ["yyyy-MM-dd", "d/M/yyyy", "dd/MM/yyyy", "d MMMM yyyy", "d MMM yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
