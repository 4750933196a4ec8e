using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using CsvHelper;
using FgcReturns.Core.Data;

namespace FgcReturns.Core.Collections;

/// <summary>The chase list as CSV and as an Excel workbook: one row per LA, the same rows and order as on screen.</summary>
public static class DashboardExport
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvContentType = "text/csv";
    public const string TableName = "ChaseList";

    public static readonly IReadOnlyList<string> Headers =
    [
        "LA code", "Local authority", "Region", "Status", "Last activity", "Errors", "Queries without explanation", "Days overdue",
        "Submitted version", "Submitted", "Data leads",
    ];

    private static readonly double[] Widths = [9, 36, 28, 24, 18, 9, 14, 10, 11, 18, 60];

    private static TimeZoneInfo London => UkTime.London;

    /// <summary>e.g. fgc-annual-2025-26-chase-list.csv</summary>
    public static string FileName(Collection collection, string extension)
    {
        ArgumentNullException.ThrowIfNull(collection);
        return $"{collection.SurveyId}-{collection.Period}-chase-list.{extension}";
    }

    /// <summary>
    /// Text a spreadsheet could run as a formula (starting with = + - @, tab or carriage return) gets a leading
    /// apostrophe, so it is shown as text (OWASP's advice on CSV injection).
    /// </summary>
    public static string Neutralise(string? text) =>
        string.IsNullOrEmpty(text) ? "" : text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    /// <summary>UTF-8 with a byte order mark, so Excel reads names with accents correctly.</summary>
    public static async Task WriteCsvAsync(CollectionDashboard dashboard, Stream stream, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        foreach (var header in Headers)
        {
            csv.WriteField(header);
        }

        await csv.NextRecordAsync();
        foreach (var row in dashboard.Rows)
        {
            ct.ThrowIfCancellationRequested();
            csv.WriteField(Neutralise(row.LaCode));
            csv.WriteField(Neutralise(row.LaName));
            csv.WriteField(Neutralise(row.RegionName));
            csv.WriteField(ReturnStatusText.For(row.Status));
            csv.WriteField(LocalText(row.LastModifiedAt));
            csv.WriteField(row.ErrorCount);
            csv.WriteField(row.UnexplainedQueryCount);
            csv.WriteField(row.DaysOverdue);
            csv.WriteField(row.SubmittedVersion == 0 ? "" : row.SubmittedVersion.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(LocalText(row.SubmittedAt));
            csv.WriteField(Neutralise(LeadsText(row)));
            await csv.NextRecordAsync();
        }

        await csv.FlushAsync();
    }

    /// <summary>One sheet with a named table, frozen header row and fixed column widths; dates are real dates (London time).</summary>
    public static void WriteXlsx(CollectionDashboard dashboard, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add("Chase list");
        for (var c = 0; c < Headers.Count; c++)
        {
            sheet.Cell(1, c + 1).SetValue(Headers[c]);
        }

        var r = 2;
        foreach (var row in dashboard.Rows)
        {
            sheet.Cell(r, 1).SetValue(Neutralise(row.LaCode));
            sheet.Cell(r, 2).SetValue(Neutralise(row.LaName));
            sheet.Cell(r, 3).SetValue(Neutralise(row.RegionName));
            sheet.Cell(r, 4).SetValue(ReturnStatusText.For(row.Status));
            SetDate(sheet.Cell(r, 5), row.LastModifiedAt);
            sheet.Cell(r, 6).SetValue(row.ErrorCount);
            sheet.Cell(r, 7).SetValue(row.UnexplainedQueryCount);
            sheet.Cell(r, 8).SetValue(row.DaysOverdue);
            if (row.SubmittedVersion > 0)
            {
                sheet.Cell(r, 9).SetValue(row.SubmittedVersion);
            }

            SetDate(sheet.Cell(r, 10), row.SubmittedAt);
            sheet.Cell(r, 11).SetValue(Neutralise(LeadsText(row)));
            r++;
        }

        // A table needs at least one data row; an empty filter still gives a (blank) row under the headers.
        var lastRow = Math.Max(r - 1, 2);
        var table = sheet.Range(1, 1, lastRow, Headers.Count).CreateTable(TableName);
        table.Theme = XLTableTheme.TableStyleLight9;
        sheet.SheetView.FreezeRows(1);
        for (var c = 0; c < Widths.Length; c++)
        {
            // AdjustToContents needs GDI+, which is missing on Linux: widths are set by hand.
            sheet.Column(c + 1).Width = Widths[c];
        }

        workbook.SaveAs(stream);
    }

    private static void SetDate(IXLCell cell, DateTimeOffset? at)
    {
        if (at is { } value)
        {
            cell.SetValue(TimeZoneInfo.ConvertTime(value, London).DateTime);
            cell.Style.NumberFormat.Format = "yyyy-mm-dd hh:mm";
        }
    }

    /// <summary>"Morgan Medway <lead.medway@fgc.example>; …", or a plain flag when the LA has nobody to chase.</summary>
    public static string LeadsText(DashboardRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.HasNoActiveDataLead ? NoActiveDataLead : string.Join("; ", row.DataLeads.Select(l => $"{l.Name} <{l.Email}>"));
    }

    public const string NoActiveDataLead = "No active data lead";

    private static string LocalText(DateTimeOffset? at) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, London).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "";
}
