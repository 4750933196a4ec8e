using System.Globalization;

namespace FgcReturns.Web.Components.Pages.Collections;

/// <summary>The day, month and year boxes of a GOV.UK date input, as posted by a static form.</summary>
public sealed class DateParts
{
    public string? Day { get; set; }

    public string? Month { get; set; }

    public string? Year { get; set; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Day) && string.IsNullOrWhiteSpace(Month) && string.IsNullOrWhiteSpace(Year);

    public static DateParts From(DateOnly date) => new()
    {
        Day = date.Day.ToString(CultureInfo.InvariantCulture),
        Month = date.Month.ToString(CultureInfo.InvariantCulture),
        Year = date.Year.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The date, or null with a GOV.UK-style message when the boxes do not make a real date; null and no message when all are empty.</summary>
    public DateOnly? Read(string name, out string? error)
    {
        error = null;
        if (IsEmpty)
        {
            return null;
        }

        var missing = new[] { ("day", Day), ("month", Month), ("year", Year) }.Where(p => string.IsNullOrWhiteSpace(p.Item2)).Select(p => p.Item1).ToList();
        if (missing.Count > 0)
        {
            error = $"{Capitalise(name)} must include a {string.Join(" and ", missing)}";
            return null;
        }

        if (int.TryParse(Day!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var d)
            && int.TryParse(Month!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            && int.TryParse(Year!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            && y is >= 2000 and <= 2100 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m))
        {
            return new DateOnly(y, m, d);
        }

        error = $"{Capitalise(name)} must be a real date";
        return null;
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
