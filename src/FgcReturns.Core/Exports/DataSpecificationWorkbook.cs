using System.Globalization;
using ClosedXML.Excel;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Exports;

/// <summary>
/// Writes the data specification of one survey definition as an Excel workbook: Contents, Items, Rules and
/// Indicators sheets. No merged cells, frozen header rows, fixed column widths (AdjustToContents needs GDI+).
/// </summary>
public static class DataSpecificationWorkbook
{
    public const string ContentsSheet = "Contents";
    public const string ItemsSheet = "Items";
    public const string RulesSheet = "Rules";
    public const string IndicatorsSheet = "Indicators";
    public const string TrackerSheet = "Tracker";

    public static readonly IReadOnlyList<string> ItemHeaders =
    [
        "Section", "Key", "Label", "Type", "Unit", "Not recorded allowed", "Min", "Max", "Hint", "Guidance",
        "Options or grid rows", "Grid columns", "Grid must total", "Mapped from",
    ];

    public static readonly IReadOnlyList<string> RuleHeaders = ["Id", "Severity", "Expression", "Message", "Items", "When not recorded"];

    public static readonly IReadOnlyList<string> IndicatorHeaders = ["Key", "Label", "Numerator", "Denominator", "Multiplier", "Unit", "Higher is"];

    public static void Write(SurveyDefinition definition, Stream output)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(output);
        using var workbook = new XLWorkbook();
        WriteContents(workbook.AddWorksheet(ContentsSheet), definition);
        WriteItems(workbook.AddWorksheet(ItemsSheet), definition);
        WriteRules(workbook.AddWorksheet(RulesSheet), definition);
        WriteIndicators(workbook.AddWorksheet(IndicatorsSheet), definition);
        if (definition.Tracker is { } tracker)
        {
            WriteTracker(workbook.AddWorksheet(TrackerSheet), definition, tracker);
        }

        workbook.SaveAs(output);
    }

    private static void WriteContents(IXLWorksheet sheet, SurveyDefinition definition)
    {
        string[][] rows =
        [
            ["Data specification", definition.Title],
            ["Survey id", definition.SurveyId],
            ["Version", definition.Version],
            ["Status", definition.Status.ToString().ToLowerInvariant()],
            ["Reporting period", definition.PeriodType == "financial_year" ? "Financial year: 1 April to 31 March" : definition.PeriodType],
            ["Changes in this version", definition.Changelog],
            ["Content hash (SHA-256)", definition.ContentHash],
            ["", ""],
            ["Sheet", "What it holds"],
            [ItemsSheet, "Every question by section: key, label, type, unit, limits, hint, guidance and grid layout"],
            [RulesSheet, "Validation rules: errors must be fixed, queries need an explanation"],
            [IndicatorsSheet, "Indicators calculated from the return for benchmarking"],
            ["", ""],
            ["Sections", ""],
        ];
        var r = 1;
        foreach (var row in rows)
        {
            // SetValue keeps text as text: Value = "1.0" stores the number 1 (ClosedXML 0.95 guesses types).
            sheet.Cell(r, 1).SetValue(row[0]);
            sheet.Cell(r, 2).SetValue(row[1]);
            r++;
        }

        foreach (var section in definition.Sections)
        {
            sheet.Cell(r, 1).Value = section.Key;
            sheet.Cell(r, 2).Value = section.Title;
            r++;
        }

        sheet.Cell(1, 1).Style.Font.Bold = true;
        sheet.Cell(9, 1).Style.Font.Bold = true;
        sheet.Cell(9, 2).Style.Font.Bold = true;
        sheet.Column(1).Width = 28;
        sheet.Column(2).Width = 90;
        sheet.Column(2).Style.Alignment.WrapText = true;
    }

    private static void WriteItems(IXLWorksheet sheet, SurveyDefinition definition)
    {
        Header(sheet, ItemHeaders);
        var r = 2;
        foreach (var section in definition.Sections)
        {
            foreach (var q in section.Questions)
            {
                var c = 1;
                sheet.Cell(r, c++).Value = section.Title;
                sheet.Cell(r, c++).Value = q.Key;
                sheet.Cell(r, c++).Value = q.Label;
                sheet.Cell(r, c++).Value = TypeName(q.Type);
                sheet.Cell(r, c++).Value = q.Unit ?? "";
                sheet.Cell(r, c++).Value = q.AllowNotRecorded ? "Yes" : "No";
                SetNumber(sheet.Cell(r, c++), q.Min ?? (q.IsWholeNumber || q.IsNumeric ? 0m : null));
                SetNumber(sheet.Cell(r, c++), q.Max);
                sheet.Cell(r, c++).Value = q.Hint ?? "";
                sheet.Cell(r, c++).Value = q.Guidance ?? "";
                var choices = q.Grid?.Rows ?? q.EffectiveOptions;
                sheet.Cell(r, c++).Value = string.Join("\n", choices.Select(o => $"{o.Value}: {o.Label}"));
                sheet.Cell(r, c++).Value = string.Join("\n", (q.Grid?.Columns ?? []).Select(o => $"{o.Value}: {o.Label}"));
                sheet.Cell(r, c++).Value = q.Grid?.TotalOf ?? "";
                sheet.Cell(r, c).Value = string.Join("\n", q.MappedFrom.Select(m => $"{m.Version}: {m.Key}"));
                r++;
            }
        }

        Widths(sheet, [24, 30, 50, 16, 10, 12, 8, 10, 50, 70, 40, 20, 20, 18]);
    }

    private static void WriteRules(IXLWorksheet sheet, SurveyDefinition definition)
    {
        Header(sheet, RuleHeaders);
        var r = 2;
        foreach (var rule in definition.Rules)
        {
            sheet.Cell(r, 1).Value = rule.Id;
            sheet.Cell(r, 2).Value = rule.PeerRange is not null ? "Query against peers" : rule.Severity == Severity.Error ? "Error" : "Query";
            sheet.Cell(r, 3).Value = rule.Assert;
            sheet.Cell(r, 4).Value = rule.Message;
            sheet.Cell(r, 5).Value = string.Join(", ", rule.ItemKeys);
            sheet.Cell(r, 6).Value = rule.PeerRange is not null ? "Skip the rule; silent without a final benchmark"
                : rule.WhenNotRecorded == NotRecordedHandling.Skip ? "Skip the rule" : "Treat as 0";
            r++;
        }

        Widths(sheet, [8, 10, 70, 70, 40, 16]);
    }

    private static void WriteIndicators(IXLWorksheet sheet, SurveyDefinition definition)
    {
        Header(sheet, IndicatorHeaders);
        var r = 2;
        foreach (var indicator in definition.Indicators)
        {
            sheet.Cell(r, 1).Value = indicator.Key;
            sheet.Cell(r, 2).Value = indicator.Label;
            sheet.Cell(r, 3).Value = indicator.Numerator;
            sheet.Cell(r, 4).Value = indicator.Denominator;
            SetNumber(sheet.Cell(r, 5), indicator.Multiplier);
            sheet.Cell(r, 6).Value = indicator.Unit;
            sheet.Cell(r, 7).Value = indicator.HigherIs.ToString().ToLowerInvariant();
            r++;
        }

        Widths(sheet, [32, 50, 30, 30, 12, 36, 12]);
    }

    /// <summary>Items an FGC service's case-level tracker gives, and how each is computed; the rest are answered by the LA.</summary>
    private static void WriteTracker(IXLWorksheet sheet, SurveyDefinition definition, TrackerSpec tracker)
    {
        Header(sheet, ["Item key", "Item", "Computed from the tracker as"]);
        var r = 2;
        foreach (var derivation in tracker.Derivations)
        {
            sheet.Cell(r, 1).Value = derivation.ItemKey;
            sheet.Cell(r, 2).Value = definition.FindQuestion(derivation.ItemKey)?.Label ?? derivation.ItemKey;
            sheet.Cell(r, 3).Value = derivation.Describe(tracker);
            r++;
        }

        r++;
        sheet.Cell(r, 1).Value = "Tracker column";
        sheet.Cell(r, 2).Value = "Heading";
        sheet.Cell(r, 3).Value = "What to enter";
        sheet.Range(r, 1, r, 3).Style.Font.Bold = true;
        foreach (var column in tracker.Columns)
        {
            r++;
            sheet.Cell(r, 1).Value = column.Key;
            sheet.Cell(r, 2).Value = column.Label;
            sheet.Cell(r, 3).Value = (column.Required ? "Required. " : "") + (column.Hint ?? string.Join("; ", column.Options.Select(o => o.Label)));
        }

        Widths(sheet, [32, 50, 100]);
    }

    private static void Header(IXLWorksheet sheet, IReadOnlyList<string> headers)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            var cell = sheet.Cell(1, i + 1);
            cell.Value = headers[i];
            cell.Style.Font.Bold = true;
            cell.Style.Fill.BackgroundColor = XLColor.FromHtml("#F3F2F1");
        }

        sheet.SheetView.FreezeRows(1);
        sheet.Range(1, 1, 1, headers.Count).SetAutoFilter();
    }

    private static void Widths(IXLWorksheet sheet, double[] widths)
    {
        for (var i = 0; i < widths.Length; i++)
        {
            sheet.Column(i + 1).Width = widths[i];
            sheet.Column(i + 1).Style.Alignment.WrapText = widths[i] >= 40;
            sheet.Column(i + 1).Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        }
    }

    private static void SetNumber(IXLCell cell, decimal? value)
    {
        if (value is not null)
        {
            cell.Value = value.Value;
            cell.Style.NumberFormat.Format = value.Value == decimal.Truncate(value.Value) ? "#,##0" : "#,##0.##";
        }
    }

    private static string TypeName(QuestionType type) => type switch
    {
        QuestionType.Count => "count",
        QuestionType.Decimal => "decimal",
        QuestionType.YesNo => "yes_no",
        QuestionType.SingleChoice => "single_choice",
        QuestionType.MultipleChoice => "multiple_choice",
        QuestionType.Text => "text",
        QuestionType.CountGrid => "count_grid",
        _ => type.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
