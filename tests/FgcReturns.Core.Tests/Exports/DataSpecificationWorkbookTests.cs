using ClosedXML.Excel;
using FgcReturns.Core.Exports;
using FgcReturns.Core.Tests.SurveyDefinitions;

namespace FgcReturns.Core.Tests.Exports;

public class DataSpecificationWorkbookTests
{
    [Fact]
    public void Write_Fgc11_WritesReadableSheetsWithEveryItemRuleAndIndicator()
    {
        var definition = TestDefinitions.Fgc11;

        using var workbook = Written(definition);

        workbook.Worksheets.Select(w => w.Name).ShouldBe(["Cover", "Contents", "Notes", "Definition", "Sections", "Items", "Rules", "Indicators", "Tracker", "Tracker_columns"]);
        var tracker = workbook.Worksheet("Tracker");
        DataRows(tracker).Select(r => r.Cell(1).GetString()).ShouldBe(definition.Tracker!.Derivations.Select(d => d.ItemKey).ToList());
        tracker.Cell(4, 3).GetString().ShouldBe("Sum of Number of children (each family once, from its latest row), with Referral date in the reporting period");
        DataRows(workbook.Worksheet("Tracker_columns")).Select(r => r.Cell(1).GetString()).ShouldBe(definition.Tracker.Columns.Select(c => c.Key).ToList());

        var details = workbook.Worksheet("Definition");
        Detail(details, "Version").GetString().ShouldBe("1.1");
        Detail(details, "Content hash (SHA-256)").GetString().ShouldBe(definition.ContentHash);
        DataRows(workbook.Worksheet("Sections")).Select(r => r.Cell(1).GetString()).ShouldBe(definition.Sections.Select(s => s.Key).ToList());

        var items = workbook.Worksheet("Items");
        items.Cell(3, 2).GetString().ShouldBe("Key");
        items.SheetView.SplitRow.ShouldBe(3);
        items.MergedRanges.ShouldBeEmpty();
        var keys = DataRows(items).Select(r => r.Cell(2).GetString()).ToList();
        keys.ShouldBe(definition.Questions.Select(q => q.Key).ToList());
        var held = DataRows(items).Single(r => r.Cell(2).GetString() == "initial_fgcs_held");
        held.Cell(14).GetString().ShouldBe("1.0: fgcs_held");
        held.Cell(8).GetValue<decimal>().ShouldBe(100000m);
        held.Cell(8).Style.NumberFormat.Format.ShouldBe("#,##0");
        var grid = DataRows(items).Single(r => r.Cell(2).GetString() == "referrals_by_stage");
        grid.Cell(13).GetString().ShouldBe("referrals_children");
        grid.Cell(11).GetString().ShouldContain("pre_proceedings: Pre-proceedings (Public Law Outline)");

        var rules = workbook.Worksheet("Rules");
        DataRows(rules).Select(r => r.Cell(1).GetString()).ShouldBe(definition.Rules.Select(r => r.Id).ToList());
        rules.Cell(4, 3).GetString().ShouldBe("families_accepted <= families_offered");
        rules.Cell(4, 2).GetString().ShouldBe("Error");

        var indicators = workbook.Worksheet("Indicators");
        indicators.Cell(4, 1).GetString().ShouldBe("acceptance_rate");
        indicators.Cell(4, 5).GetValue<decimal>().ShouldBe(100m);
        indicators.Column(2).Width.ShouldBe(50);
    }

    [Fact]
    public void Write_Version10_StoresTheVersionAsTheText1Point0NotTheNumber1()
    {
        using var workbook = Written(TestDefinitions.Fgc10);

        var version = Detail(workbook.Worksheet("Definition"), "Version");
        version.DataType.ShouldBe(XLDataType.Text);
        version.GetString().ShouldBe("1.0");
        Text(workbook.Worksheet("Cover")).ShouldContain("Version 1.0, ");
    }

    [Fact]
    public void Write_Fgc10_HasACoverContentsAndNotesLikeTheOtherWorkbooks()
    {
        var definition = TestDefinitions.Fgc10;
        byte[] bytes;
        using (var stream = new MemoryStream())
        {
            DataSpecificationWorkbook.Write(definition, stream);
            bytes = stream.ToArray();
        }

        using var workbook = new XLWorkbook(new MemoryStream(bytes));

        workbook.Worksheets.Select(w => w.Name).ShouldBe(DataSpecificationWorkbook.SheetNames(definition));
        workbook.Properties.Title.ShouldBe($"Data specification: {definition.Title}, version 1.0");
        using (var package = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(bytes), false))
        {
            package.PackageProperties.Language.ShouldBe("en-GB");
        }

        workbook.Worksheet("Cover").Cell(1, 1).GetString().ShouldBe(workbook.Properties.Title);
        var contents = workbook.Worksheet("Contents");
        var linked = contents.Column(1).CellsUsed().Where(c => c.Address.RowNumber > 3).ToList();
        linked.Select(c => c.GetString()).ShouldBe(workbook.Worksheets.Skip(2).Select(w => w.Name));
        linked.ShouldAllBe(c => c.HasHyperlink);
        Text(workbook.Worksheet("Notes")).ShouldContain("[z] means not applicable");
        foreach (var sheet in workbook.Worksheets.Skip(1))
        {
            sheet.MergedRanges.ShouldBeEmpty(sheet.Name);
            var table = sheet.Tables.ShouldHaveSingleItem(sheet.Name);
            table.HeadersRow().RowNumber().ShouldBe(3, sheet.Name);
            sheet.SheetView.SplitRow.ShouldBe(3, sheet.Name);
            foreach (var cell in table.DataRange.Cells())
            {
                cell.IsEmpty().ShouldBeFalse(sheet.Name + "!" + cell.Address); // no blank cells: [z] where nothing applies
            }
        }

        BenchmarkWorkbookTests.AssertBracketsAreNotesOrSymbols(workbook);
        var choice = DataRows(workbook.Worksheet("Items")).First(r => r.Cell(4).GetString() == "yes_no");
        choice.Cell(7).GetString().ShouldBe("[z]"); // a yes/no item has no minimum
    }

    private static XLWorkbook Written(FgcReturns.Core.SurveyDefinitions.SurveyDefinition definition)
    {
        using var stream = new MemoryStream();
        DataSpecificationWorkbook.Write(definition, stream);
        return new XLWorkbook(new MemoryStream(stream.ToArray()));
    }

    private static IEnumerable<IXLRangeRow> DataRows(IXLWorksheet sheet) => sheet.Tables.Single().DataRange.Rows();

    private static IXLCell Detail(IXLWorksheet sheet, string name) => sheet.Cell(DataRows(sheet).Single(r => r.Cell(1).GetString() == name).RowNumber(), 2);

    private static string Text(IXLWorksheet sheet) => string.Join("\n", sheet.CellsUsed().Select(c => c.GetString()));
}
