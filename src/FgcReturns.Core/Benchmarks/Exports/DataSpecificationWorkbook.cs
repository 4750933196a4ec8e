using System.Globalization;
using ClosedXML.Excel;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Exports;

/// <summary>
/// Writes the data specification of one survey definition as an Excel workbook laid out like the benchmark workbooks
/// (<see cref="GafWorkbook"/>): a cover, contents with links, notes explaining the symbols, then one table per sheet:
/// the definition's details, its sections, items, rules, indicators and (if it has one) the tracker's derivations
/// and columns. The version is text ("1.0"), never the number 1.
/// </summary>
public static class DataSpecificationWorkbook
{
    public const string DefinitionSheet = "Definition";
    public const string SectionsSheet = "Sections";
    public const string ItemsSheet = "Items";
    public const string RulesSheet = "Rules";
    public const string IndicatorsSheet = "Indicators";
    public const string TrackerSheet = "Tracker";
    public const string TrackerColumnsSheet = "Tracker_columns";

    public static readonly IReadOnlyList<string> ItemHeaders =
    [
        "Section", "Key", "Label", "Type", "Unit", "Not recorded allowed", "Minimum", "Maximum", "Hint", "Guidance",
        "Options or grid rows", "Grid columns", "Grid must total", "Mapped from",
    ];

    public static readonly IReadOnlyList<string> RuleHeaders = ["Id", "Severity", "Expression", "Message", "Items", "When not recorded"];

    public static readonly IReadOnlyList<string> IndicatorHeaders = ["Key", "Label", "Numerator", "Denominator", "Multiplier", "Unit", "Higher is"];

    /// <summary>The sheets of the workbook for <paramref name="definition"/>, in order.</summary>
    public static IReadOnlyList<string> SheetNames(SurveyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return ["Cover", "Contents", "Notes", DefinitionSheet, SectionsSheet, ItemsSheet, RulesSheet, IndicatorsSheet,
            .. definition.Tracker is null ? Array.Empty<string>() : [TrackerSheet, TrackerColumnsSheet]];
    }

    public static void Write(SurveyDefinition definition, Stream output)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(output);
        using var workbook = Create(definition);
        var bytes = GafWorkbook.ToBytes(workbook);
        output.Write(bytes);
    }

    public static XLWorkbook Create(SurveyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var title = $"Data specification: {definition.Title}, version {definition.Version}";
        var cover = new List<GafWorkbook.CoverLine>
        {
            new("About this workbook", $"What local authorities are asked for in {definition.Title} (survey {definition.SurveyId}, version {definition.Version}): every item with its limits and guidance, the validation rules, and the indicators calculated from the return for benchmarking."),
            new("Version and status", $"Version {definition.Version}, {definition.Status.ToString().ToLowerInvariant()}. The Definition sheet gives the content hash that identifies this exact version."),
            new("Reporting period", PeriodText(definition)),
            new("Symbols", "[z] = not applicable (for example, a minimum for a text item). The Notes sheet explains each."),
        };
        var tables = new List<TableSheet>
        {
            new(DefinitionSheet, "definition", "Table 1: the survey definition " + Notes(1), "This worksheet contains one table: one row per detail of this version of the definition.",
                [new("Detail", 28), new("Value", 90)],
                [
                    ["Title", definition.Title],
                    ["Survey id", definition.SurveyId],
                    ["Version", definition.Version],
                    ["Status", definition.Status.ToString().ToLowerInvariant()],
                    ["Reporting period", PeriodText(definition)],
                    ["Changes in this version", NotApplicableIfEmpty(definition.Changelog)],
                    ["Content hash (SHA-256)", definition.ContentHash],
                ]),
            new(SectionsSheet, "sections", "Table 2: sections of the return", "This worksheet contains one table: one row per section of the return, in the order the form shows them.",
                [new("Section key", 28), new("Section title", 70), new("Number of items", 12, "#,##0")],
                definition.Sections.Select(section => new object?[] { section.Key, section.Title, section.Questions.Count() })),
            new(ItemsSheet, "items", "Table 3: items " + Notes(2, 3), "This worksheet contains one table: one row per question, by section. Some cells contain symbols (see Notes).",
                [new(ItemHeaders[0], 24), new(ItemHeaders[1], 30), new(ItemHeaders[2], 50), new(ItemHeaders[3], 16), new(ItemHeaders[4], 10), new(ItemHeaders[5], 12),
                    new(ItemHeaders[6], 10), new(ItemHeaders[7], 10), new(ItemHeaders[8], 50), new(ItemHeaders[9], 70), new(ItemHeaders[10], 40), new(ItemHeaders[11], 20),
                    new(ItemHeaders[12], 20), new(ItemHeaders[13], 18)],
                definition.Sections.SelectMany(section => section.Questions.Select(q => new object?[]
                {
                    section.Title, q.Key, q.Label, TypeName(q.Type), NotApplicableIfEmpty(q.Unit), q.AllowNotRecorded ? "Yes" : "No",
                    Number(q.Min ?? (q.IsWholeNumber || q.IsNumeric ? 0m : null)), Number(q.Max),
                    NotApplicableIfEmpty(q.Hint), NotApplicableIfEmpty(q.Guidance),
                    NotApplicableIfEmpty(string.Join("\n", (q.Grid?.Rows ?? q.EffectiveOptions).Select(o => $"{o.Value}: {o.Label}"))),
                    NotApplicableIfEmpty(string.Join("\n", (q.Grid?.Columns ?? []).Select(o => $"{o.Value}: {o.Label}"))),
                    NotApplicableIfEmpty(q.Grid?.TotalOf),
                    NotApplicableIfEmpty(string.Join("\n", q.MappedFrom.Select(m => $"{m.Version}: {m.Key}"))),
                }))),
            new(RulesSheet, "rules", "Table 4: validation rules " + Notes(4), "This worksheet contains one table: one row per validation rule. Errors must be fixed; queries need an explanation.",
                [new(RuleHeaders[0], 8), new(RuleHeaders[1], 12), new(RuleHeaders[2], 70), new(RuleHeaders[3], 70), new(RuleHeaders[4], 40), new(RuleHeaders[5], 18)],
                definition.Rules.Select(rule => new object?[]
                {
                    rule.Id, rule.PeerRange is not null ? "Query against peers" : rule.Severity == Severity.Error ? "Error" : "Query",
                    rule.Assert, rule.Message, NotApplicableIfEmpty(string.Join(", ", rule.ItemKeys)),
                    rule.PeerRange is not null ? "Skip the rule; silent without a final benchmark"
                        : rule.WhenNotRecorded == NotRecordedHandling.Skip ? "Skip the rule" : "Treat as 0",
                })),
            new(IndicatorsSheet, "indicators", "Table 5: indicators " + Notes(5), "This worksheet contains one table: one row per indicator calculated from the return for benchmarking.",
                [new(IndicatorHeaders[0], 32), new(IndicatorHeaders[1], 50), new(IndicatorHeaders[2], 30), new(IndicatorHeaders[3], 30), new(IndicatorHeaders[4], 12),
                    new(IndicatorHeaders[5], 36), new(IndicatorHeaders[6], 12)],
                definition.Indicators.Select(indicator => new object?[]
                {
                    indicator.Key, indicator.Label, indicator.Numerator, indicator.Denominator, Number(indicator.Multiplier), indicator.Unit,
                    indicator.HigherIs.ToString().ToLowerInvariant(),
                })),
        };
        if (definition.Tracker is { } tracker)
        {
            // Items an FGC service's case-level tracker gives, and how each is computed; the rest are answered by the LA.
            tables.Add(new(TrackerSheet, "tracker_items", "Table 6: items computed from a case-level tracker " + Notes(6),
                "This worksheet contains one table: one row per item that can be computed from an FGC service's case-level tracker.",
                [new("Item key", 32), new("Item", 50), new("Computed from the tracker as", 100)],
                tracker.Derivations.Select(d => new object?[] { d.ItemKey, definition.FindQuestion(d.ItemKey)?.Label ?? d.ItemKey, d.Describe(tracker) })));
            tables.Add(new(TrackerColumnsSheet, "tracker_columns", "Table 7: columns of the case-level tracker " + Notes(6),
                "This worksheet contains one table: one row per column of the case-level tracker, with what to enter in it.",
                [new("Tracker column", 32), new("Heading", 50), new("What to enter", 100)],
                tracker.Columns.Select(column => new object?[]
                {
                    column.Key, column.Label,
                    NotApplicableIfEmpty((column.Required ? "Required. " : "") + (column.Hint ?? string.Join("; ", column.Options.Select(o => o.Label)))),
                })));
        }

        var workbook = GafWorkbook.Create(title, cover, NoteTexts, tables);
        foreach (var sheet in tables.Select(t => workbook.Worksheet(t.SheetName)))
        {
            // Long text (guidance, messages) wraps and reads from the top of its row.
            foreach (var column in sheet.ColumnsUsed().Where(c => c.Width >= 40))
            {
                column.Style.Alignment.WrapText = true;
            }

            sheet.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        }

        return workbook;
    }

    /// <summary>The notes, numbered from 1 in this order (<see cref="Notes"/> refers to them).</summary>
    private static readonly IReadOnlyList<string> NoteTexts =
    [
        "The content hash identifies the exact text of this version of the definition: returns record the hash of the definition they were made under.",
        "Types: count is a whole number from 0; decimal a number; yes_no, single_choice and multiple_choice choose from the options listed; text is free text; count_grid is a table of counts whose rows (and columns) are listed, and whose cells may have to add up to another item (Grid must total).",
        "Not recorded: where allowed, a local authority may say it does not record an item instead of giving a figure. Mapped from: the key an item had in an earlier version, so years line up.",
        "Errors must be fixed before a return can be submitted. Queries ask the local authority to check a figure and explain it if it is right. Queries against peers compare a figure with last year's final benchmarks and are silent until a final benchmark exists.",
        "An indicator is its numerator divided by its denominator, times the multiplier. Rates per 10,000 children use the ONS mid-year estimate of the population aged 0 to 17.",
        "A case-level tracker is the spreadsheet an FGC service may keep of its cases; uploading it fills in the items it can compute.",
    ];

    private static string Notes(params int[] numbers) => BenchmarkFigures.NoteRefs(numbers);

    private static string PeriodText(SurveyDefinition definition) =>
        definition.PeriodType == "financial_year" ? "Financial year: 1 April to 31 March" : definition.PeriodType;

    /// <summary>No blank cells inside a table: an empty text is "not applicable" here.</summary>
    private static object NotApplicableIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? Figure.NotApplicable : text;

    private static object Number(decimal? value) => value is { } v
        ? new FormattedFigure(Figure.Of(v), v == decimal.Truncate(v) ? "#,##0" : "#,##0.##")
        : Figure.NotApplicable;

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
