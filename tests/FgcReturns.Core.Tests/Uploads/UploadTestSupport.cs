using ClosedXML.Excel;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Uploads;

namespace FgcReturns.Core.Tests.Uploads;

/// <summary>The real 1.0 definition, a template written for it, and ways to fill one in as a person would.</summary>
internal static class UploadTestSupport
{
    public static readonly DateTimeOffset GeneratedAt = new(2025, 4, 14, 9, 30, 0, TimeSpan.FromHours(1));

    public static readonly TemplateContext Medway = new("887", "Medway", 7, "FGC annual return 2024 to 2025", "2024 to 2025", new DateOnly(2025, 5, 30), GeneratedAt);

    public static readonly UploadExpectation MedwayExpectation = new("887", 7, "1.0", "Medway", "FGC annual return 2024 to 2025");

    private static readonly Lazy<SurveyDefinition> Lazy10 = new(() =>
    {
        var result = SurveyDefinitionLoader.LoadFile(Path.Combine(RepoRoot(), "survey-definitions", "fgc-annual", "1.0.yaml"));
        result.Problems.ShouldBeEmpty();
        return result.Definitions.Single();
    });

    public static SurveyDefinition Definition10 => Lazy10.Value;

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FgcReturns.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("FgcReturns.sln not found above " + AppContext.BaseDirectory);
    }

    public static byte[] Template(
        IReadOnlyDictionary<string, string?>? current = null,
        TemplateContext? context = null,
        SurveyDefinition? definition = null)
    {
        using var stream = new MemoryStream();
        new ReturnTemplateWriter().Write(stream, definition ?? Definition10, context ?? Medway, current ?? new Dictionary<string, string?>());
        return stream.ToArray();
    }

    /// <summary>Opens a template, lets the test type into it (by item key), and saves it again.</summary>
    public static byte[] Fill(byte[] template, Action<TemplateEditor> edit)
    {
        using var workbook = new XLWorkbook(new MemoryStream(template));
        edit(new TemplateEditor(workbook));
        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return output.ToArray();
    }

    public static UploadParseResult ReadXlsx(byte[] bytes, UploadExpectation? expected = null) =>
        Read(bytes, "medway-fgc-return.xlsx", expected);

    public static UploadParseResult Read(byte[] bytes, string fileName, UploadExpectation? expected = null) =>
        new ReturnUploadReader().Read(new MemoryStream(bytes), fileName, bytes.LongLength, Definition10, expected ?? MedwayExpectation);

    public static UploadParseResult ReadCsv(string text) =>
        Read(System.Text.Encoding.UTF8.GetBytes(text), "medway.csv");
}

internal sealed class TemplateEditor(XLWorkbook workbook)
{
    public XLWorkbook Workbook { get; } = workbook;

    /// <summary>The answer cell (column D) of an item key, wherever it is.</summary>
    public IXLCell Answer(string valueKey) => Row(valueKey).Cell(4);

    public IXLRow Row(string valueKey)
    {
        foreach (var sheet in Workbook.Worksheets)
        {
            var found = sheet.Column(1).CellsUsed().FirstOrDefault(c => c.GetString() == valueKey);
            if (found is not null)
            {
                return found.WorksheetRow();
            }
        }

        throw new InvalidOperationException($"No row for {valueKey}");
    }

    /// <summary>The location the reader reports for an item's answer cell.</summary>
    public string AnswerLocation(string valueKey)
    {
        var cell = Answer(valueKey);
        return $"Sheet '{cell.Worksheet.Name}', cell {cell.Address.ToStringRelative()}";
    }

    public void Type(string valueKey, object value) => Answer(valueKey).Value = value;

    public void TypeText(string valueKey, string value)
    {
        var cell = Answer(valueKey);
        cell.SetValue(value);
        cell.SetDataType(XLDataType.Text);
    }
}
