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
        using var stream = new MemoryStream();

        DataSpecificationWorkbook.Write(definition, stream);

        stream.Position = 0;
        using var workbook = new XLWorkbook(stream);
        workbook.Worksheets.Select(w => w.Name).ShouldBe(["Contents", "Items", "Rules", "Indicators", "Tracker"]);
        var tracker = workbook.Worksheet("Tracker");
        Enumerable.Range(2, definition.Tracker!.Derivations.Count).Select(r => tracker.Cell(r, 1).GetString())
            .ShouldBe(definition.Tracker.Derivations.Select(d => d.ItemKey).ToList());
        tracker.Cell(2, 3).GetString().ShouldBe("Sum of Number of children (each family once, from its latest row), with Referral date in the reporting period");

        var contents = workbook.Worksheet("Contents");
        contents.Cell(3, 2).GetString().ShouldBe("1.1");
        contents.Cell(7, 2).GetString().ShouldBe(definition.ContentHash);

        var items = workbook.Worksheet("Items");
        items.Cell(1, 2).GetString().ShouldBe("Key");
        items.SheetView.SplitRow.ShouldBe(1);
        items.MergedRanges.ShouldBeEmpty();
        var keys = Enumerable.Range(2, definition.Questions.Count()).Select(r => items.Cell(r, 2).GetString()).ToList();
        keys.ShouldBe(definition.Questions.Select(q => q.Key).ToList());
        var heldRow = keys.IndexOf("initial_fgcs_held") + 2;
        items.Cell(heldRow, 14).GetString().ShouldBe("1.0: fgcs_held");
        items.Cell(heldRow, 8).GetValue<decimal>().ShouldBe(100000m);
        var gridRow = keys.IndexOf("referrals_by_stage") + 2;
        items.Cell(gridRow, 13).GetString().ShouldBe("referrals_children");
        items.Cell(gridRow, 11).GetString().ShouldContain("pre_proceedings: Pre-proceedings (Public Law Outline)");

        var rules = workbook.Worksheet("Rules");
        Enumerable.Range(2, definition.Rules.Count).Select(r => rules.Cell(r, 1).GetString()).ShouldBe(definition.Rules.Select(r => r.Id).ToList());
        rules.Cell(2, 3).GetString().ShouldBe("families_accepted <= families_offered");
        rules.Cell(2, 2).GetString().ShouldBe("Error");

        var indicators = workbook.Worksheet("Indicators");
        indicators.Cell(2, 1).GetString().ShouldBe("acceptance_rate");
        indicators.Cell(2, 5).GetValue<decimal>().ShouldBe(100m);
        indicators.Column(2).Width.ShouldBe(50);
    }

    [Fact]
    public void Write_Version10_StoresTheVersionAsTheText1Point0NotTheNumber1()
    {
        using var stream = new MemoryStream();

        DataSpecificationWorkbook.Write(TestDefinitions.Fgc10, stream);

        stream.Position = 0;
        using var workbook = new XLWorkbook(stream);
        var version = workbook.Worksheet("Contents").Cell(3, 2);
        version.DataType.ShouldBe(XLDataType.Text);
        version.GetString().ShouldBe("1.0");
    }
}
