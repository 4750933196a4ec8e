using System.Globalization;
using System.Text.RegularExpressions;

namespace FgcReturns.Core.Collections;

/// <summary>An English financial year, 1 April to 31 March, labelled like "2026-27".</summary>
public readonly partial record struct FinancialYear(int StartYear)
{
    public string Label => CollectionSetup.FinancialYearLabel(StartYear);

    public DateOnly Start => new(StartYear, 4, 1);

    public DateOnly End => new(StartYear + 1, 3, 31);

    /// <summary>Reads "2026-27", "2026/27" or "2026-2027"; the second year must follow the first.</summary>
    public static bool TryParse(string? text, out FinancialYear year)
    {
        year = default;
        var match = text is null ? null : Pattern().Match(text.Trim());
        if (match is not { Success: true })
        {
            return false;
        }

        var start = int.Parse(match.Groups["start"].Value, CultureInfo.InvariantCulture);
        var endText = match.Groups["end"].Value;
        var end = int.Parse(endText, CultureInfo.InvariantCulture);
        var expected = endText.Length == 2 ? (start + 1) % 100 : start + 1;
        if (start is < 2000 or > 2098 || end != expected)
        {
            return false;
        }

        year = new FinancialYear(start);
        return true;
    }

    public override string ToString() => Label;

    [GeneratedRegex(@"^(?<start>\d{4})\s*[-/–]\s*(?<end>\d{2}|\d{4})$")]
    private static partial Regex Pattern();
}
