using ClosedXML.Excel;
using FgcReturns.Core.Benchmarks;

namespace FgcReturns.Core.Exports;

/// <summary>A column of a table sheet: a header (with its unit), a width in characters and an Excel number format.</summary>
public sealed record TableColumn(string Header, double Width = 14, string? NumberFormat = null);

/// <summary>One table on its own sheet. Cells may be string, decimal, int, <see cref="Figure"/> or null.</summary>
public sealed record TableSheet(string SheetName, string TableName, string Title, string Description, IReadOnlyList<TableColumn> Columns, IEnumerable<object?[]> Rows);

/// <summary>
/// Writes workbooks the way the Government Analysis Function asks for statistics in spreadsheets: a cover sheet,
/// contents, notes, then one table per sheet (no merged cells, one header row, a named Excel table, frozen header,
/// units in headers, symbols explained). Column widths are set explicitly (AdjustToContents needs GDI+).
/// </summary>
public static class GafWorkbook
{
    public sealed record CoverLine(string Heading, string Text);

    public static XLWorkbook Create(string title, IReadOnlyList<CoverLine> cover, IReadOnlyList<string> notes, IReadOnlyList<TableSheet> tables)
    {
        var workbook = new XLWorkbook();
        var coverSheet = workbook.Worksheets.Add("Cover");
        coverSheet.Cell(1, 1).Value = SpreadsheetSafety.Neutralise(title);
        coverSheet.Cell(1, 1).Style.Font.Bold = true;
        coverSheet.Cell(1, 1).Style.Font.FontSize = 16;
        var row = 2;
        foreach (var line in cover)
        {
            row++;
            coverSheet.Cell(row, 1).Value = SpreadsheetSafety.Neutralise(line.Heading);
            coverSheet.Cell(row, 1).Style.Font.Bold = true;
            coverSheet.Cell(row, 1).Style.Font.FontSize = 13;
            row++;
            coverSheet.Cell(row, 1).Value = SpreadsheetSafety.Neutralise(line.Text);
            coverSheet.Cell(row, 1).Style.Alignment.WrapText = true;
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
                .Concat(Gss.Legend.Select(l => new object?[] { "Symbol " + l.Symbol, l.Meaning })));
        WriteTable(workbook, contents);
        WriteTable(workbook, notesSheet);
        foreach (var table in tables)
        {
            WriteTable(workbook, table);
        }

        return workbook;
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
            for (var c = 0; c < table.Columns.Count && c < values.Length; c++)
            {
                var cell = sheet.Cell(r, c + 1);
                switch (values[c])
                {
                    case null:
                        break;
                    case string text:
                        cell.SetValue(SpreadsheetSafety.Neutralise(text)); // Value = would turn "1.0" into 1
                        cell.DataType = XLDataType.Text;
                        break;
                    case Figure { Number: { } number }:
                        SetNumber(cell, number, table.Columns[c].NumberFormat);
                        break;
                    case Figure figure:
                        cell.Value = figure.Symbol ?? "";
                        cell.DataType = XLDataType.Text;
                        cell.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Right;
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
        return stream.ToArray();
    }
}
