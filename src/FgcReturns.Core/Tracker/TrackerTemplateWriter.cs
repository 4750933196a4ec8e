using ClosedXML.Excel;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Tracker;

/// <summary>
/// The tracker template, generated from the survey definition: an instructions sheet saying plainly what not to enter,
/// the tracker sheet with one column per tracker column (drop-downs and date and number checks), and the option lists.
/// </summary>
public static class TrackerTemplateWriter
{
    public const int TemplateRows = 5000;

    public static void Write(Stream output, SurveyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(definition);
        var tracker = definition.Tracker ?? throw new InvalidOperationException($"{definition} declares no tracker.");
        using var workbook = new XLWorkbook();
        WriteInstructions(workbook.AddWorksheet("Instructions"), definition, tracker);
        var sheet = workbook.AddWorksheet(TrackerReader.SheetName);
        var lists = workbook.AddWorksheet("Lists");
        var listColumn = 0;
        for (var i = 0; i < tracker.Columns.Count; i++)
        {
            var column = tracker.Columns[i];
            var header = sheet.Cell(1, i + 1);
            header.Value = column.Label;
            header.Style.Font.Bold = true;
            header.Style.Fill.BackgroundColor = XLColor.FromHtml("#f3f2f1");
            if (column.Hint is not null)
            {
                header.Comment.AddText(column.Hint);
            }

            var cells = sheet.Range(2, i + 1, TemplateRows + 1, i + 1);
            var validation = cells.SetDataValidation();
            validation.IgnoreBlanks = true;
            validation.ShowErrorMessage = true;
            validation.ErrorTitle = column.Label;
            switch (column.Type)
            {
                case TrackerColumnType.Reference:
                    cells.Style.NumberFormat.Format = "@";
                    validation.TextLength.Between(1, 40);
                    validation.InputTitle = "Local reference";
                    validation.InputMessage = "Your case number only. Never a name or a date of birth.";
                    validation.ShowInputMessage = true;
                    validation.ErrorMessage = "Enter your local case reference (up to 40 characters).";
                    break;
                case TrackerColumnType.Date:
                    cells.Style.DateFormat.Format = "dd/mm/yyyy";
                    validation.Date.Between(new DateTime(2000, 1, 1), new DateTime(2099, 12, 31));
                    validation.ErrorMessage = "Enter a date, like 14/05/2025.";
                    break;
                case TrackerColumnType.Count:
                    validation.WholeNumber.Between(1, 30);
                    validation.ErrorMessage = "Enter a whole number from 1 to 30.";
                    break;
                default:
                    var options = column.Type == TrackerColumnType.YesNo ? Question.YesNoOptions : column.Options;
                    listColumn++;
                    lists.Cell(1, listColumn).Value = column.Label;
                    for (var o = 0; o < options.Count; o++)
                    {
                        lists.Cell(o + 2, listColumn).Value = options[o].Label;
                    }

                    validation.List(lists.Range(2, listColumn, options.Count + 1, listColumn), true);
                    validation.ErrorMessage = "Choose from the list.";
                    break;
            }

            sheet.Column(i + 1).Width = Math.Max(14, column.Label.Length + 4);
        }

        sheet.SheetView.FreezeRows(1);
        lists.Hide();
        workbook.Worksheet("Instructions").SetTabActive();
        workbook.SaveAs(output);
    }

    private static void WriteInstructions(IXLWorksheet sheet, SurveyDefinition definition, TrackerSpec tracker)
    {
        var lines = new List<(string Text, bool Bold)>
        {
            ($"FGC tracker for the {definition.Title} (version {definition.Version})", true),
            ("One row per family referral. Keep it for your own service; the portal computes your return's figures from it.", false),
            ("", false),
            ("Do not enter anything that identifies a person", true),
            ("Do not enter names, dates of birth, addresses, NHS numbers or any other personal details — of children or of adults.", false),
            ("Use only your own local case or referral reference, the same on every row for the same family.", false),
            ("The portal refuses a reference that looks like a name or a date of birth. It reads the file in memory and keeps only the totals: never the file or its rows.", false),
            ("", false),
            ("How to fill it in", true),
            ("Enter dates as dates (like 14/05/2025). Choose answers from the drop-down lists. Leave a cell blank when it has not happened yet.", false),
            ("A family referred again later gets a new row with the same reference.", false),
            ("", false),
            ("Columns", true),
        };
        lines.AddRange(tracker.Columns.Select(c => ($"{c.Label}{(c.Required ? " (required)" : "")}: {c.Hint ?? ColumnHelp(c)}", false)));
        lines.Add(("", false));
        lines.Add(("What the portal computes from it", true));
        lines.AddRange(tracker.Derivations.Select(d => ($"{definition.FindQuestion(d.ItemKey)?.Label ?? d.ItemKey}: {d.Describe(tracker)}", false)));
        lines.Add(("Every other question in the return is for you to answer in the portal.", false));
        for (var i = 0; i < lines.Count; i++)
        {
            var cell = sheet.Cell(i + 1, 1);
            cell.Value = lines[i].Text;
            cell.Style.Font.Bold = lines[i].Bold;
            cell.Style.Alignment.WrapText = true;
        }

        sheet.Column(1).Width = 120;
    }

    private static string ColumnHelp(TrackerColumn column) => column.Type switch
    {
        TrackerColumnType.Date => "a date",
        TrackerColumnType.Count => "a whole number",
        TrackerColumnType.YesNo => "Yes or No",
        TrackerColumnType.Choice => "one of: " + string.Join("; ", column.Options.Select(o => o.Label)),
        _ => "your local reference",
    };
}
