using System.Globalization;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Uploads;

namespace FgcReturns.Core.Tracker;

/// <summary>One problem in a tracker: the sheet row and column when it is about a cell. Never quotes a reference.</summary>
public sealed record TrackerProblem(int? Row, string? Column, string Message)
{
    public override string ToString() => Row is null
        ? Message
        : string.Create(CultureInfo.InvariantCulture, $"Row {Row}, {Column}: {Message}");
}

/// <summary>One tracker row, its cells read into dates, counts and option values.</summary>
public sealed class TrackerRow(int number)
{
    public int Number { get; } = number;
    public Dictionary<string, string> Text { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, DateOnly> Dates { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

    public bool Has(string column) => Text.ContainsKey(column) || Dates.ContainsKey(column) || Counts.ContainsKey(column);
}

public sealed record TrackerReadResult(IReadOnlyList<TrackerRow> Rows, IReadOnlyList<TrackerProblem> Problems);

/// <summary>
/// Reads a tracker workbook in memory, with the same size and file-type checks as return uploads, and checks every row.
/// Nothing read here is written anywhere: problems name rows and columns, never a cell's content.
/// </summary>
public static partial class TrackerReader
{
    public const int MaxRows = 20_000;
    public const string SheetName = "Tracker";
    private static readonly DateOnly Earliest = new(2000, 1, 1);

    public static TrackerReadResult Read(Stream content, string fileName, long length, TrackerSpec tracker, DateOnly periodEnd)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(tracker);
        try
        {
            return ReadChecked(content, fileName ?? "", length, tracker, periodEnd);
        }
#pragma warning disable CA1031 // Never throw on bad input: an unexpected failure is still a message for the user.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Reject("The file could not be read. Check it is the tracker template, saved as .xlsx, and try again.");
        }
    }

    private static TrackerReadResult Reject(string message) => new([], [new TrackerProblem(null, null, message)]);

    private static TrackerReadResult ReadChecked(Stream content, string fileName, long length, TrackerSpec tracker, DateOnly periodEnd)
    {
        // The same limits and messages as return uploads.
        if (length > ReturnUploadReader.MaxBytes)
        {
            return Reject(ReturnUploadReader.TooLargeMessage);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length <= ReturnUploadReader.MaxBytes && (read = content.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length > ReturnUploadReader.MaxBytes)
        {
            return Reject(ReturnUploadReader.TooLargeMessage);
        }

        if (buffer.Length == 0)
        {
            return Reject(ReturnUploadReader.EmptyMessage);
        }

        var kind = FileSniffer.Sniff(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        if (kind == SniffedKind.EncryptedOoxml)
        {
            return Reject(ReturnUploadReader.PasswordMessage);
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (kind == SniffedKind.OleCompound || extension == ".xls")
        {
            return Reject("The tracker is an old Excel 97-2003 file: save it as .xlsx (Excel Workbook) and upload it again.");
        }

        if (extension != ".xlsx" || kind != SniffedKind.Zip)
        {
            return Reject(extension == ".xlsx" ? ReturnUploadReader.DamagedMessage : "The tracker must be an Excel workbook (.xlsx): use the tracker template.");
        }

        // ClosedXML holds a whole workbook in memory at many times its size: refuse a zip bomb or a huge sheet unopened.
        if (WorkbookInspector.Inspect(buffer.ToArray(), WorkbookLimits.Tracker) is { } refusal)
        {
            return Reject(refusal);
        }

        XLWorkbook workbook;
        try
        {
            buffer.Position = 0;
            workbook = new XLWorkbook(buffer);
        }
#pragma warning disable CA1031 // ClosedXML and the OpenXML SDK throw many exception types for a damaged file.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Reject(ReturnUploadReader.DamagedMessage);
        }

        using (workbook)
        {
            return ReadSheet(workbook, tracker, periodEnd);
        }
    }

    private static TrackerReadResult ReadSheet(XLWorkbook workbook, TrackerSpec tracker, DateOnly periodEnd)
    {
        if (!workbook.TryGetWorksheet(SheetName, out var sheet))
        {
            return Reject($"The workbook has no sheet called '{SheetName}'. Use the tracker template and keep its sheet names.");
        }

        var header = sheet.Row(1);
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var lastColumn = sheet.LastColumnUsed()?.ColumnNumber() ?? 0;
        for (var c = 1; c <= lastColumn; c++)
        {
            var title = header.Cell(c).GetString().Trim();
            var column = tracker.Columns.FirstOrDefault(k => string.Equals(k.Label, title, StringComparison.OrdinalIgnoreCase) || string.Equals(k.Key, title, StringComparison.OrdinalIgnoreCase));
            if (column is not null)
            {
                positions.TryAdd(column.Key, c);
            }
        }

        var problems = new List<TrackerProblem>();
        foreach (var missing in tracker.Columns.Where(c => !positions.ContainsKey(c.Key)))
        {
            problems.Add(new TrackerProblem(null, null, $"The tracker has no column '{missing.Label}' in row 1. Use the tracker template's headings."));
        }

        if (problems.Count > 0)
        {
            return new TrackerReadResult([], problems);
        }

        var lastRow = sheet.LastRowUsed()?.RowNumber() ?? 1;
        if (lastRow - 1 > MaxRows)
        {
            return Reject(string.Create(CultureInfo.InvariantCulture, $"The tracker has more than {MaxRows:#,##0} rows. Split it, or remove rows from earlier years."));
        }

        var latest = periodEnd.AddYears(1);
        var rows = new List<TrackerRow>();
        for (var r = 2; r <= lastRow; r++)
        {
            var row = new TrackerRow(r);
            var blank = true;
            foreach (var column in tracker.Columns)
            {
                var cell = sheet.Cell(r, positions[column.Key]);
                var value = CellValue(cell);
                if (value is null || (value is string s && string.IsNullOrWhiteSpace(s)))
                {
                    continue;
                }

                blank = false;
                ReadCell(row, column, value, problems, latest);
            }

            if (blank)
            {
                continue;
            }

            foreach (var column in tracker.Columns)
            {
                if (column.Required && !row.Has(column.Key) && !problems.Any(p => p.Row == r && p.Column == column.Label))
                {
                    problems.Add(new TrackerProblem(r, column.Label, "is blank: fill it in"));
                }

                if (column.NotBefore is { } before && row.Dates.TryGetValue(column.Key, out var date) && row.Dates.TryGetValue(before, out var earlier) && date < earlier)
                {
                    problems.Add(new TrackerProblem(r, column.Label, $"is before the {Lower(tracker.FindColumn(before)!.Label)}: check both dates"));
                }

                if (column.Needs is { } needs && row.Has(column.Key) && !row.Has(needs))
                {
                    problems.Add(new TrackerProblem(r, column.Label, $"is filled in but {Lower(tracker.FindColumn(needs)!.Label)} is blank"));
                }
            }

            rows.Add(row);
        }

        return new TrackerReadResult(rows, problems);
    }

    private static void ReadCell(TrackerRow row, TrackerColumn column, object value, List<TrackerProblem> problems, DateOnly latest)
    {
        var r = row.Number;
        switch (column.Type)
        {
            case TrackerColumnType.Reference:
                if (value is DateTime)
                {
                    problems.Add(new TrackerProblem(r, column.Label, "looks like a date of birth. Use your local case reference only: never a date of birth or a name"));
                    return;
                }

                var reference = Text(value).Trim();
                if (LooksLikeDate().IsMatch(reference))
                {
                    problems.Add(new TrackerProblem(r, column.Label, "looks like a date of birth. Use your local case reference only: never a date of birth or a name"));
                }
                else if (!reference.Any(char.IsAsciiDigit))
                {
                    problems.Add(new TrackerProblem(r, column.Label, "looks like a person's name (a reference has digits). Use your local case reference only: never a name"));
                }
                else if (reference.Length > 40)
                {
                    problems.Add(new TrackerProblem(r, column.Label, "is longer than 40 characters: use your local case reference only"));
                }
                else
                {
                    row.Text[column.Key] = reference.ToUpperInvariant();
                }

                return;
            case TrackerColumnType.Date:
                DateOnly date;
                if (value is DateTime dateTime)
                {
                    date = DateOnly.FromDateTime(dateTime);
                }
                else if (!TrackerSpec.TryParseDate(Text(value), out date))
                {
                    problems.Add(new TrackerProblem(r, column.Label, "is not a date. Enter a date like 14/05/2025"));
                    return;
                }

                if (date < Earliest || date > latest)
                {
                    problems.Add(new TrackerProblem(r, column.Label, string.Create(CultureInfo.InvariantCulture, $"is outside any sensible range: it must be between 1 January 2000 and {latest:d MMMM yyyy}")));
                    return;
                }

                row.Dates[column.Key] = date;
                return;
            case TrackerColumnType.Count:
                if (value is double number && number == Math.Floor(number) && number is >= 1 and <= 30)
                {
                    row.Counts[column.Key] = (int)number;
                }
                else if (value is string text && int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 1 and <= 30)
                {
                    row.Counts[column.Key] = parsed;
                }
                else
                {
                    problems.Add(new TrackerProblem(r, column.Label, "must be a whole number from 1 to 30"));
                }

                return;
            case TrackerColumnType.YesNo:
                var yesNo = value switch
                {
                    bool b => b ? "yes" : "no",
                    _ => Text(value).Trim().ToLowerInvariant() switch { "yes" or "y" => "yes", "no" or "n" => "no", _ => null },
                };
                if (yesNo is null)
                {
                    problems.Add(new TrackerProblem(r, column.Label, "must be Yes or No"));
                }
                else
                {
                    row.Text[column.Key] = yesNo;
                }

                return;
            default:
                var choice = Text(value).Trim();
                var option = column.Options.FirstOrDefault(o => string.Equals(o.Label, choice, StringComparison.OrdinalIgnoreCase) || string.Equals(o.Value, choice, StringComparison.OrdinalIgnoreCase));
                if (option is null)
                {
                    problems.Add(new TrackerProblem(r, column.Label, $"must be one of: {string.Join("; ", column.Options.Select(o => o.Label))}"));
                }
                else
                {
                    row.Text[column.Key] = option.Value;
                }

                return;
        }
    }

    /// <summary>The cell's value; for a formula its cached result only, never evaluated (as for return uploads).</summary>
    private static object? CellValue(IXLCell cell)
    {
        var value = cell.HasFormula ? cell.CachedValue : cell.Value;
        return value switch
        {
            null => null,
            string text => text,
            _ => value,
        };
    }

    private static string Text(object value) => value switch
    {
        string s => s,
        double d => ((decimal)d).ToString(CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Lower(string text) => text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    // Dates such as 12/03/2015, 2015-03-12, 12.3.15 or 12 March 2015 inside a reference.
    [GeneratedRegex(@"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b|\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}\s*(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d{2,4}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LooksLikeDate();
}
