using System.Globalization;
using ClosedXML.Excel;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Tracker;

namespace FgcReturns.Core.Tests.Builders;

/// <summary>
/// Fills the real tracker template as an FGC service would: one row per family referral. Dates are given as
/// "yyyy-MM-dd" and written as Excel dates; choices by their labels. Shared with the integration tests.
/// </summary>
public sealed class TrackerBuilder
{
    private readonly List<Dictionary<string, object?>> _rows = [];

    public static TrackerBuilder Empty() => new();

    public TrackerBuilder Referral(
        string reference,
        string referralDate,
        int children = 1,
        string stage = "Early help",
        string? viable = "Yes",
        string? offered = null,
        string? response = null,
        string? reason = null,
        string? initialFgc = null,
        string? planAgreed = null,
        string? review = null,
        string? outcome = null)
    {
        _rows.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["reference"] = reference,
            ["referral_date"] = Date(referralDate),
            ["children"] = children,
            ["stage"] = stage,
            ["viable"] = viable,
            ["offered_date"] = Date(offered),
            ["response"] = response,
            ["not_held_reason"] = reason,
            ["initial_fgc_date"] = Date(initialFgc),
            ["plan_agreed_date"] = Date(planAgreed),
            ["review_fgc_date"] = Date(review),
            ["outcome"] = outcome,
        });
        return this;
    }

    /// <summary>Sets one cell of the last row as typed (text, a number or a DateTime), for bad trackers.</summary>
    public TrackerBuilder WithCell(string column, object? value)
    {
        _rows[^1][column] = value;
        return this;
    }

    public int Count => _rows.Count;

    public byte[] Build(SurveyDefinition definition)
    {
        using var template = new MemoryStream();
        TrackerTemplateWriter.Write(template, definition);
        template.Position = 0;
        using var workbook = new XLWorkbook(template);
        var sheet = workbook.Worksheet(TrackerReader.SheetName);
        var columns = definition.Tracker!.Columns;
        for (var r = 0; r < _rows.Count; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                var value = _rows[r].GetValueOrDefault(columns[c].Key);
                var cell = sheet.Cell(r + 2, c + 1);
                switch (value)
                {
                    case null:
                        break;
                    case DateTime date:
                        cell.Value = date;
                        break;
                    case int number:
                        cell.Value = number;
                        break;
                    default:
                        cell.SetValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                        break;
                }
            }
        }

        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return output.ToArray();
    }

    private static DateTime? Date(string? text) =>
        text is null ? null : DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
