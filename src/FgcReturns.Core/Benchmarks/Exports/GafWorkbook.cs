using ClosedXML.Excel;
using FgcReturns.Core.Benchmarks;

namespace FgcReturns.Core.Exports;

/// <summary>A column of a table sheet: a header (with its unit), a width in characters and an Excel number format.</summary>
public sealed record TableColumn(string Header, double Width = 14, string? NumberFormat = null);

/// <summary>One table on its own sheet. Cells may be string, decimal, int, <see cref="Figure"/> or null.</summary>
/// <summary>A figure with its own number format, for tables whose rows mix counts and rates in one column.</summary>
public sealed record FormattedFigure(Figure Figure, string NumberFormat);

public sealed record TableSheet(string SheetName, string TableName, string Title, string Description, IReadOnlyList<TableColumn> Columns, IEnumerable<object?[]> Rows);

/// <summary>
/// Writes workbooks the way the Government Analysis Function asks for statistics in spreadsheets: a cover sheet,
/// contents, notes, then one table per sheet (no merged cells, one header row, a named Excel table, frozen header,
/// units in headers, symbols explained). Column widths are set explicitly (AdjustToContents needs GDI+).
/// </summary>
public static class GafWorkbook
{
    /// <summary>A cover heading and its text; with a date, the date is written as a real Excel date below the text.</summary>
    public sealed record CoverLine(string Heading, string Text, DateTime? Date = null);

    public const string Language = "en-GB";

    /// <summary>A symbol as the guidance writes it in a table: [c], [x], [z].</summary>
    public static string Bracketed(string symbol) => "[" + symbol + "]";

    public static XLWorkbook Create(string title, IReadOnlyList<CoverLine> cover, IReadOnlyList<string> notes, IReadOnlyList<TableSheet> tables)
    {
        var workbook = new XLWorkbook();
        workbook.Properties.Title = title;
        var coverSheet = workbook.Worksheets.Add("Cover");
        coverSheet.Cell(1, 1).Value = SpreadsheetSafety.Neutralise(title);
        coverSheet.Cell(1, 1).Style.Font.Bold = true;
        coverSheet.Cell(1, 1).Style.Font.FontSize = 16;
        var row = 2;
        foreach (var line in cover)
        {
            row++;
            coverSheet.Cell(row, 1).SetValue(SpreadsheetSafety.Neutralise(line.Heading)); // SetValue: "1.0" stays text
            coverSheet.Cell(row, 1).Style.Font.Bold = true;
            coverSheet.Cell(row, 1).Style.Font.FontSize = 13;
            row++;
            coverSheet.Cell(row, 1).SetValue(SpreadsheetSafety.Neutralise(line.Text));
            coverSheet.Cell(row, 1).Style.Alignment.WrapText = true;
            if (line.Date is { } date)
            {
                row++;
                coverSheet.Cell(row, 1).SetValue(date);
                coverSheet.Cell(row, 1).Style.NumberFormat.Format = "d mmmm yyyy";
                coverSheet.Cell(row, 1).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
            }
        }

        coverSheet.Column(1).Width = 110;

        var contents = new TableSheet("Contents", "contents", "Contents",
            "This worksheet contains one table listing the tables in this workbook.",
            [new TableColumn("Sheet name", 24), new TableColumn("Table title", 90)],
            [["Notes", "Notes and symbols used in this workbook"], .. tables.Select(t => new object?[] { t.SheetName, t.Title })]);
        var notesSheet = new TableSheet("Notes", "notes", "Notes",
            "This worksheet contains one table of notes. The symbols used in the tables are explained here.",
            [new TableColumn("Note number", 14), new TableColumn("Note text", 120)],
            notes.Select((n, i) => new object?[] { "[note " + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", n })
                .Concat(Gss.Legend.Select(l => new object?[] { Bracketed(l.Symbol), "The symbol " + Bracketed(l.Symbol) + " means " + l.Meaning })));
        WriteTable(workbook, contents);
        LinkSheetNames(workbook.Worksheet(contents.SheetName), 1 + tables.Count);
        WriteTable(workbook, notesSheet);
        foreach (var table in tables)
        {
            WriteTable(workbook, table);
        }

        return workbook;
    }

    /// <summary>Each sheet name in the contents table links to cell A1 of that sheet.</summary>
    private static void LinkSheetNames(IXLWorksheet contents, int count)
    {
        for (var row = 4; row < 4 + count; row++)
        {
            var cell = contents.Cell(row, 1);
            cell.Hyperlink = new XLHyperlink("'" + cell.GetString().Replace("'", "''", StringComparison.Ordinal) + "'!A1");
        }
    }

    public static void WriteTable(XLWorkbook workbook, TableSheet table)
    {
        var sheet = workbook.Worksheets.Add(table.SheetName);
        sheet.Cell(1, 1).Value = SpreadsheetSafety.Neutralise(table.Title);
        sheet.Cell(1, 1).Style.Font.Bold = true;
        sheet.Cell(1, 1).Style.Font.FontSize = 14;
        sheet.Cell(2, 1).Value = SpreadsheetSafety.Neutralise(table.Description);
        const int headerRow = 3;
        for (var c = 0; c < table.Columns.Count; c++)
        {
            sheet.Cell(headerRow, c + 1).Value = SpreadsheetSafety.Neutralise(table.Columns[c].Header);
            sheet.Column(c + 1).Width = table.Columns[c].Width;
        }

        var r = headerRow;
        foreach (var values in table.Rows)
        {
            r++;
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var cell = sheet.Cell(r, c + 1);
                switch (c < values.Length ? values[c] : null)
                {
                    case null:
                    case "":
                        // No blank cells inside a table: a missing value is shown as not available.
                        SetSymbol(cell, Gss.NotAvailable);
                        break;
                    case string text:
                        cell.SetValue(SpreadsheetSafety.Neutralise(text)); // Value = would turn "1.0" into 1
                        cell.DataType = XLDataType.Text;
                        break;
                    case Figure { Number: { } number }:
                        SetNumber(cell, number, table.Columns[c].NumberFormat);
                        break;
                    case Figure figure:
                        SetSymbol(cell, figure.Symbol ?? Gss.NotAvailable);
                        break;
                    case FormattedFigure { Figure.Number: { } number } formatted:
                        SetNumber(cell, number, formatted.NumberFormat);
                        break;
                    case FormattedFigure formatted:
                        SetSymbol(cell, formatted.Figure.Symbol ?? Gss.NotAvailable);
                        break;
                    case DateTime date:
                        cell.SetValue(date);
                        cell.Style.NumberFormat.Format = table.Columns[c].NumberFormat ?? "yyyy-mm-dd hh:mm";
                        break;
                    case decimal number:
                        SetNumber(cell, number, table.Columns[c].NumberFormat);
                        break;
                    case int number:
                        SetNumber(cell, number, table.Columns[c].NumberFormat);
                        break;
                    case long number:
                        SetNumber(cell, number, table.Columns[c].NumberFormat);
                        break;
                    default:
                        cell.Value = SpreadsheetSafety.Neutralise(Convert.ToString(values[c], System.Globalization.CultureInfo.InvariantCulture));
                        cell.DataType = XLDataType.Text;
                        break;
                }
            }
        }

        var range = sheet.Range(headerRow, 1, Math.Max(r, headerRow + 1), table.Columns.Count);
        var excelTable = range.CreateTable(table.TableName);
        excelTable.ShowAutoFilter = true;
        excelTable.Theme = XLTableTheme.TableStyleLight1;
        sheet.Row(headerRow).Style.Alignment.WrapText = true;
        sheet.Row(headerRow).Style.Font.Bold = true;
        sheet.SheetView.FreezeRows(headerRow);
    }

    private static void SetSymbol(IXLCell cell, string symbol)
    {
        cell.SetValue(Bracketed(symbol));
        cell.DataType = XLDataType.Text;
        cell.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right;
    }

    private static void SetNumber(IXLCell cell, decimal number, string? format)
    {
        cell.Value = number;
        cell.DataType = XLDataType.Number;
        if (format is not null)
        {
            cell.Style.NumberFormat.Format = format;
        }
    }

    public static byte[] ToBytes(XLWorkbook workbook)
    {
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);

        // ClosedXML 0.95.4 has no language property; set the document's dc:language through the Open XML package.
        using (var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(stream, true))
        {
            document.PackageProperties.Language = Language;
        }

        return stream.ToArray();
    }
}
