using ClosedXML.Excel;
using FgcReturns.Core.Exports;
using FgcReturns.Core.Tests.SurveyDefinitions;

namespace FgcReturns.Core.Tests.Exports;

public class DataSpecificationPeerRuleTests
{
    [Fact]
    public void Write_Fgc11_ListsThePeerRuleWithItsBandsAndWhenItIsSilent()
    {
        using var stream = new MemoryStream();
        DataSpecificationWorkbook.Write(TestDefinitions.Fgc11, stream);

        using var workbook = new XLWorkbook(new MemoryStream(stream.ToArray()));
        var rules = workbook.Worksheet(DataSpecificationWorkbook.RulesSheet);
        var row = rules.RowsUsed().Single(r => r.Cell(1).GetString() == "P01");
        row.Cell(2).GetString().ShouldBe("Query against peers");
        row.Cell(3).GetString().ShouldContain("below the 5th percentile of England");
        row.Cell(3).GetString().ShouldContain("Silent when there is no final benchmark yet");
        row.Cell(4).GetString().ShouldStartWith("Your acceptance rate, [value], is lower than 95% of local authorities last year");
        row.Cell(5).GetString().ShouldBe("families_accepted, families_offered");
        row.Cell(6).GetString().ShouldBe("Skip the rule; silent without a final benchmark");
    }
}
