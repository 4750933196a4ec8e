using System.Globalization;
using ClosedXML.Excel;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Validation;

namespace FgcReturns.Core.Uploads;

/// <summary>
/// Writes the Excel template an LA data lead downloads, fills in offline and uploads: an Instructions sheet, one
/// protected sheet per section with answers in column D, and a very hidden _meta sheet that ties the file to one
/// LA, collection and definition version. Read back by <see cref="ReturnUploadReader"/>.
/// </summary>
/// <remarks>
/// Sheets are protected without a password. The protection only stops accidental edits to the keys and labels;
/// it is not a security control: the reader checks every value and the _meta sheet again.
/// </remarks>
public sealed class ReturnTemplateWriter
{
    private const string FontName = "Arial";
    private const double FontSize = 11;
    private static readonly XLColor Text = XLColor.FromHtml("#0B0C0C");
    private static readonly XLColor LockedFill = XLColor.FromHtml("#F3F2F1");
    private static readonly XLColor InputFill = XLColor.FromHtml("#FFF7BF");
    private static readonly XLColor HeaderFill = XLColor.FromHtml("#DDDDDD");
    private static readonly XLColor BorderColour = XLColor.FromHtml("#B1B4B6");
    private static readonly XLColor LinkColour = XLColor.FromHtml("#1D70B8");

    private static readonly (string Header, double Width)[] Columns =
    [
        (TemplateFormat.KeyHeader, 34),
        ("Question", 60),
        ("What to enter", 30),
        ("Your answer", 24),
        ("Help", 70),
    ];

    public void Write(Stream output, SurveyDefinition definition, TemplateContext context, IReadOnlyDictionary<string, string?> currentValues)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(currentValues);

        var layout = TemplateLayout.Build(definition);
        using var workbook = new XLWorkbook();
        workbook.Style.Font.FontName = FontName;
        workbook.Style.Font.FontSize = FontSize;
        workbook.Style.Font.FontColor = Text;

        WriteInstructions(workbook.Worksheets.Add(TemplateFormat.InstructionsSheet), definition, context, layout);
        var lists = workbook.Worksheets.Add(TemplateFormat.ListsSheet);
        var listCount = 0;
        foreach (var sheet in layout.Sheets)
        {
            WriteSection(workbook.Worksheets.Add(sheet.Name), sheet, layout, currentValues, lists, ref listCount);
        }

        WriteMeta(workbook.Worksheets.Add(TemplateFormat.MetaSheet), definition, context);
        if (listCount == 0)
        {
            lists.Delete();
        }
        else
        {
            // Drop-down lists whose labels hold commas cannot be written inline; they live here.
            lists.Position = workbook.Worksheets.Count;
            lists.Visibility = XLWorksheetVisibility.VeryHidden;
            lists.Protect();
        }

        workbook.Worksheet(1).SetTabActive();
        workbook.SaveAs(output);
    }

    private static void WriteInstructions(IXLWorksheet ws, SurveyDefinition definition, TemplateContext context, TemplateLayout layout)
    {
        ws.Column(1).Width = 110;
        var row = 1;
        void Line(string text, bool bold = false, double size = FontSize, double spaceAfter = 0)
        {
            var cell = ws.Cell(row, 1);
            cell.SetValue(text);
            cell.SetDataType(XLDataType.Text);
            cell.Style.Font.Bold = bold;
            cell.Style.Font.FontSize = size;
            cell.Style.Alignment.WrapText = true;
            cell.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
            ws.Row(row).Height = Math.Max(size * 1.5, TemplateLayout.EstimateLines(text, 110) * 15) + spaceAfter;
            row++;
        }

        Line(definition.Title, bold: true, size: 18, spaceAfter: 6);
        Line($"Local authority: {context.LaName} ({context.LaCode})", bold: true);
        Line($"Collection: {context.CollectionTitle}");
        Line($"Reporting period: {context.Period}");
        Line($"Deadline: {context.Deadline.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}");
        Line($"Template downloaded: {context.GeneratedAt.ToString("d MMMM yyyy 'at' HH:mm", CultureInfo.InvariantCulture)}", spaceAfter: 6);

        Line("How to fill in this template", bold: true, size: 14);
        string[] steps =
        [
            "1. There is one sheet for each section of the return. The sheets are listed below.",
            "2. Type your answers in column D (Your answer), in the yellow cells. The other cells are locked.",
            "3. Type numbers without words, like 125. Do not type a range or an estimate in words.",
            $"4. If you do not record an item, type or choose \"{TemplateFormat.NotRecordedText}\". This is not the same as 0: only enter 0 if the answer is none.",
            "5. For questions with a list, choose an answer from the drop-down list in the cell.",
            "6. Where you can choose more than one answer, separate your choices with a semicolon, like: Early help; Child in need.",
            "7. Leave a cell empty if you do not have the answer yet. An empty cell removes any answer already saved for that item.",
            "8. Answers already saved on the portal are filled in for you. Check them and change them if you need to.",
            "9. Do not change column A (Item key), the sheet names, or the order of the sheets. Do not add or remove rows.",
            "10. Save the file as an Excel workbook (.xlsx) and upload it on the portal.",
            "11. The portal checks everything in the file before anything is saved. It will show you any problems, with the sheet and cell, and what will change. Nothing is saved until you confirm.",
        ];
        foreach (var step in steps)
        {
            Line(step);
        }

        row++;
        Line("Sections", bold: true, size: 14);
        foreach (var sheet in layout.Sheets)
        {
            var text = sheet.Section.Description is { Length: > 0 } description ? $"{sheet.Name}: {description}" : sheet.Name;
            var cell = ws.Cell(row, 1);
            Line(text);
            cell.Hyperlink = new XLHyperlink($"'{sheet.Name}'!D{TemplateFormat.HeaderRow + 1}");
            cell.Style.Font.FontColor = LinkColour;
            cell.Style.Font.Underline = XLFontUnderlineValues.Single;
        }

        row++;
        Line("This template is for one local authority and one collection only. The portal will not accept it for another local authority or collection.");

        ws.PageSetup.PageOrientation = XLPageOrientation.Portrait;
        ws.PageSetup.PaperSize = XLPaperSize.A4Paper;
        ws.PageSetup.FitToPages(1, 0);
        ws.ShowGridLines = false;
        ws.Protect();
    }

    private static void WriteSection(
        IXLWorksheet ws,
        TemplateLayout.Sheet sheet,
        TemplateLayout layout,
        IReadOnlyDictionary<string, string?> currentValues,
        IXLWorksheet lists,
        ref int listCount)
    {
        for (var c = 0; c < Columns.Length; c++)
        {
            ws.Column(c + 1).Width = Columns[c].Width;
            var header = ws.Cell(TemplateFormat.HeaderRow, c + 1);
            header.SetValue(Columns[c].Header);
            header.Style.Font.Bold = true;
            header.Style.Fill.BackgroundColor = HeaderFill;
            header.Style.Alignment.WrapText = true;
            header.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
            header.Style.Border.BottomBorder = XLBorderStyleValues.Medium;
            header.Style.Border.BottomBorderColor = Text;
        }

        ws.Row(TemplateFormat.HeaderRow).Height = 20;
        foreach (var row in sheet.Rows)
        {
            WriteRow(ws, row, layout, currentValues, lists, ref listCount);
        }

        var used = ws.Range(TemplateFormat.HeaderRow, 1, sheet.LastRow, Columns.Length);
        used.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
        used.Style.Border.InsideBorder = XLBorderStyleValues.Thin;
        used.Style.Border.OutsideBorderColor = BorderColour;
        used.Style.Border.InsideBorderColor = BorderColour;
        ws.Range(TemplateFormat.HeaderRow, 1, TemplateFormat.HeaderRow, Columns.Length).Style.Border.BottomBorder = XLBorderStyleValues.Medium;
        ws.Range(TemplateFormat.HeaderRow, 1, TemplateFormat.HeaderRow, Columns.Length).Style.Border.BottomBorderColor = Text;

        ws.SheetView.FreezeRows(TemplateFormat.HeaderRow);
        ws.PageSetup.PageOrientation = XLPageOrientation.Landscape;
        ws.PageSetup.PaperSize = XLPaperSize.A4Paper;
        ws.PageSetup.FitToPages(1, 0);
        ws.PageSetup.SetRowsToRepeatAtTop(TemplateFormat.HeaderRow, TemplateFormat.HeaderRow);
        ws.PageSetup.Header.Center.AddText(sheet.Name);
        ws.Protect()
            .AllowElement(XLSheetProtectionElements.FormatColumns)
            .AllowElement(XLSheetProtectionElements.FormatRows);
    }

    private static void WriteRow(
        IXLWorksheet ws,
        TemplateLayout.Row row,
        TemplateLayout layout,
        IReadOnlyDictionary<string, string?> currentValues,
        IXLWorksheet lists,
        ref int listCount)
    {
        var r = row.Number;
        var q = row.Question;
        var locked = ws.Range(r, 1, r, Columns.Length);
        locked.Style.Fill.BackgroundColor = LockedFill;
        locked.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        locked.Style.Alignment.WrapText = true;
        var answer = ws.Cell(r, TemplateFormat.AnswerColumn);
        string label;
        string help;
        switch (row.Kind)
        {
            case TemplateLayout.RowKind.Item:
                ws.Cell(r, TemplateFormat.KeyColumn).SetValue(row.ValueKey);
                ws.Cell(r, TemplateFormat.KeyColumn).Style.Font.FontColor = XLColor.FromHtml("#505A5F");
                label = row.Label;
                ws.Cell(r, TemplateFormat.UnitColumn).SetValue(WhatToEnter(q));
                help = Help(q);
                answer.Style.Fill.BackgroundColor = InputFill;
                answer.Style.Protection.SetLocked(false);
                answer.Style.Alignment.WrapText = q.Type is QuestionType.MultipleChoice or QuestionType.Text;
                answer.Style.NumberFormat.Format = q.Type switch
                {
                    QuestionType.Count or QuestionType.CountGrid => "#,##0",
                    QuestionType.Decimal => "#,##0.0##",
                    _ => "@",
                };
                WriteCurrentValue(answer, q, row.ValueKey!, currentValues);
                AddValidation(answer, q, lists, ref listCount);
                break;
            case TemplateLayout.RowKind.GridTotal:
                label = $"{q.Label} – total of the rows above";
                help = "Worked out for you from your answers above. Items you do not record count as 0 here.";
                answer.FormulaA1 = $"SUM(D{row.FirstCellRow}:D{row.LastCellRow})";
                answer.Style.NumberFormat.Format = "#,##0";
                answer.Style.Font.Bold = true;
                ws.Cell(r, TemplateFormat.UnitColumn).SetValue("Calculated");
                break;
            default:
                var target = layout.Find(q.Grid!.TotalOf!)!;
                var reference = target.Sheet == row.Sheet ? $"D{target.Number}" : $"'{target.Sheet}'!D{target.Number}";
                label = $"Should equal: {target.Question.Label}";
                help = $"Copied from your answer on sheet '{target.Sheet}', row {target.Number.ToString(CultureInfo.InvariantCulture)}. "
                    + "The total above should be the same. The portal checks this when you upload.";
                answer.FormulaA1 = $"IF({reference}=\"\",\"\",{reference})";
                answer.Style.NumberFormat.Format = "#,##0";
                ws.Cell(r, TemplateFormat.UnitColumn).SetValue("For comparison");
                break;
        }

        if (row.Kind != TemplateLayout.RowKind.Item)
        {
            ws.Range(r, TemplateFormat.LabelColumn, r, TemplateFormat.AnswerColumn).Style.Font.Italic = true;
        }

        ws.Cell(r, TemplateFormat.LabelColumn).SetValue(label);
        ws.Cell(r, TemplateFormat.HelpColumn).SetValue(help);
        var lines = Math.Max(
            Math.Max(TemplateLayout.EstimateLines(label, Columns[1].Width), TemplateLayout.EstimateLines(help, Columns[4].Width)),
            TemplateLayout.EstimateLines(ws.Cell(r, TemplateFormat.UnitColumn).GetString(), Columns[2].Width));
        ws.Row(r).Height = Math.Max(18, (lines * 14.5) + 4);
    }

    private static void WriteCurrentValue(IXLCell cell, Question q, string valueKey, IReadOnlyDictionary<string, string?> values)
    {
        if (!values.TryGetValue(valueKey, out var raw))
        {
            return;
        }

        if (raw is null)
        {
            cell.SetValue(TemplateFormat.NotRecordedText);
            cell.SetDataType(XLDataType.Text);
            return;
        }

        if (string.IsNullOrWhiteSpace(raw))
        {
            return;
        }

        if ((q.IsNumeric || q.Type == QuestionType.CountGrid) && AnswerParser.TryParseDecimal(raw, out var number))
        {
            cell.SetValue(number);
            return;
        }

        var text = q.Type switch
        {
            QuestionType.SingleChoice or QuestionType.YesNo => q.OptionLabel(raw.Trim()) ?? raw,
            QuestionType.MultipleChoice => string.Join("; ", raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(v => q.OptionLabel(v) ?? v)),
            _ => raw,
        };

        // Text an LA typed that starts with = + - @ would be a formula once the cell is edited in a spreadsheet:
        // written with an apostrophe in front, which the reader takes off again.
        cell.SetValue(SpreadsheetSafety.Neutralise(text));
        cell.SetDataType(XLDataType.Text);
    }

    private static string WhatToEnter(Question q)
    {
        var notRecorded = q.AllowNotRecorded ? $", or {TemplateFormat.NotRecordedText}" : "";
        var unit = string.IsNullOrWhiteSpace(q.Unit) ? "" : " of " + q.Unit;
        return q.Type switch
        {
            QuestionType.Count or QuestionType.CountGrid => $"Whole number{unit}, {Range(q)}{notRecorded}",
            QuestionType.Decimal => $"Number{unit}, {Range(q)} (decimals allowed){notRecorded}",
            QuestionType.YesNo => $"Yes or No (choose from the list){notRecorded}",
            QuestionType.SingleChoice => $"Choose one from the list{notRecorded}",
            QuestionType.MultipleChoice => $"One or more of: {string.Join("; ", q.Options.Select(o => o.Label))}. Separate choices with a semicolon{notRecorded}",
            _ => "Text",
        };
    }

    private static string Range(Question q) =>
        $"{ValueFormatter.Number(Min(q))} to {ValueFormatter.Number(Max(q))}";

    private static decimal Min(Question q) => q.Min ?? 0m;

    private static decimal Max(Question q) => q.Max ?? 1_000_000m;

    private static string Help(Question q) =>
        string.Join(" ", new[] { q.Hint, q.Guidance }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()));

    private static void AddValidation(IXLCell cell, Question q, IXLWorksheet lists, ref int listCount)
    {
        var address = cell.Address.ToStringRelative();
        var nr = q.AllowNotRecorded;
        var inputTitle = "Your answer";
        string inputMessage;
        string errorMessage;
        var validation = cell.SetDataValidation();
        switch (q.Type)
        {
            case QuestionType.Count or QuestionType.CountGrid or QuestionType.Decimal:
                var whole = q.IsWholeNumber;
                var what = whole ? "a whole number" : "a number";
                inputMessage = $"Type {what} from {Range(q)}." + (nr ? $" If you do not record this, type {TemplateFormat.NotRecordedText}." : "");
                errorMessage = $"Enter {what} from {Range(q)}" + (nr ? $", or {TemplateFormat.NotRecordedText}." : ".");
                if (nr)
                {
                    var min = Min(q).ToString(CultureInfo.InvariantCulture);
                    var max = Max(q).ToString(CultureInfo.InvariantCulture);
                    var integer = whole ? $"{address}=INT({address})," : "";
                    validation.Custom(
                        $"OR(AND(ISNUMBER({address}),{integer}{address}>={min},{address}<={max}),"
                        + $"{address}=\"{TemplateFormat.NotRecordedText}\",{address}=\"NR\")");
                }
                else if (whole)
                {
                    validation.WholeNumber.Between(
                        Min(q).ToString(CultureInfo.InvariantCulture), Max(q).ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    validation.Decimal.Between(
                        Min(q).ToString(CultureInfo.InvariantCulture), Max(q).ToString(CultureInfo.InvariantCulture));
                }

                break;
            case QuestionType.YesNo or QuestionType.SingleChoice:
                var labels = q.EffectiveOptions.Select(o => o.Label).ToList();
                if (nr)
                {
                    labels.Add(TemplateFormat.NotRecordedText);
                }

                inputMessage = "Choose an answer from the list.";
                errorMessage = "Choose an answer from the list: " + string.Join("; ", labels) + ".";
                var literal = string.Join(",", labels);
                if (labels.Any(l => l.Contains(',', StringComparison.Ordinal) || l.Contains('"', StringComparison.Ordinal)) || literal.Length > 250)
                {
                    listCount++;
                    for (var i = 0; i < labels.Count; i++)
                    {
                        lists.Cell(i + 1, listCount).SetValue(labels[i]);
                        lists.Cell(i + 1, listCount).SetDataType(XLDataType.Text);
                    }

                    validation.List(lists.Range(1, listCount, labels.Count, listCount), true);
                }
                else
                {
                    validation.List("\"" + literal + "\"", true);
                }

                break;
            case QuestionType.MultipleChoice:
                inputTitle = "Choose one or more";
                inputMessage = "Type one or more of: " + string.Join("; ", q.Options.Select(o => o.Label))
                    + ". Separate choices with a semicolon." + (nr ? $" Or type {TemplateFormat.NotRecordedText}." : "");
                errorMessage = "";
                validation.AllowedValues = XLAllowedValues.AnyValue;
                break;
            default:
                inputMessage = "Type your answer.";
                errorMessage = "";
                validation.AllowedValues = XLAllowedValues.AnyValue;
                break;
        }

        validation.IgnoreBlanks = true;
        validation.ShowInputMessage = true;
        validation.InputTitle = Clip(inputTitle, 32);
        validation.InputMessage = Clip(inputMessage, 255);
        if (errorMessage.Length > 0)
        {
            validation.ShowErrorMessage = true;
            validation.ErrorStyle = XLErrorStyle.Stop;
            validation.ErrorTitle = Clip("Check your answer", 32);
            validation.ErrorMessage = Clip(errorMessage, 225);
        }
    }

    /// <summary>Excel refuses to open a file whose validation texts are longer than its limits.</summary>
    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static void WriteMeta(IXLWorksheet ws, SurveyDefinition definition, TemplateContext context)
    {
        (string Key, string Value)[] rows =
        [
            (TemplateFormat.MetaKeys.FormatVersion, TemplateFormat.FormatVersion),
            (TemplateFormat.MetaKeys.SurveyId, definition.SurveyId),
            (TemplateFormat.MetaKeys.DefinitionVersion, definition.Version),
            (TemplateFormat.MetaKeys.DefinitionHash, definition.ContentHash),
            (TemplateFormat.MetaKeys.LaCode, context.LaCode),
            (TemplateFormat.MetaKeys.LaName, context.LaName),
            (TemplateFormat.MetaKeys.CollectionId, context.CollectionId.ToString(CultureInfo.InvariantCulture)),
            (TemplateFormat.MetaKeys.CollectionTitle, context.CollectionTitle),
            (TemplateFormat.MetaKeys.Period, context.Period),
            (TemplateFormat.MetaKeys.GeneratedAt, context.GeneratedAt.ToString("O", CultureInfo.InvariantCulture)),
        ];
        for (var i = 0; i < rows.Length; i++)
        {
            ws.Cell(i + 1, 1).SetValue(rows[i].Key);
            ws.Cell(i + 1, 2).SetValue(rows[i].Value);
            ws.Cell(i + 1, 2).SetDataType(XLDataType.Text);
        }

        ws.Column(1).Width = 28;
        ws.Column(2).Width = 70;
        ws.Visibility = XLWorksheetVisibility.VeryHidden;
        ws.Protect();
    }
}
