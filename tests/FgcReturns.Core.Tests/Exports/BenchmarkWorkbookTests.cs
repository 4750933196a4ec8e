using System.Globalization;
using ClosedXML.Excel;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Exports;

namespace FgcReturns.Core.Tests.Exports;

public class BenchmarkWorkbookTests
{
    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("+44 20", "'+44 20")]
    [InlineData("-1+1", "'-1+1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("Medway", "Medway")]
    [InlineData("", "")]
    public void Neutralise_FormulaLikeText_IsPrefixedWithAnApostrophe(string text, string expected) =>
        SpreadsheetSafety.Neutralise(text).ShouldBe(expected);

    [Fact]
    public void NationalWorkbook_FollowsTheAnalysisFunctionLayout()
    {
        // Arrange
        var snapshot = BenchmarkSnapshots.TwoYears();

        // Act
        using var workbook = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Suppressed, "data@example", "Foundations"));

        // Assert
        workbook.Worksheets.Select(w => w.Name).ShouldBe(["Cover", "Contents", "Notes", "England", "Regions", "Local authorities", "Completeness", "Data items", "Year on year"]);
        foreach (var sheet in workbook.Worksheets.Skip(1))
        {
            sheet.MergedRanges.ShouldBeEmpty(sheet.Name);
            sheet.Tables.Count().ShouldBe(1, sheet.Name);
            sheet.Tables.Single().RangeAddress.FirstAddress.RowNumber.ShouldBe(3, sheet.Name);
            sheet.SheetView.SplitRow.ShouldBe(3, sheet.Name);
        }

        var cover = workbook.Worksheet("Cover");
        cover.Cell(1, 1).GetString().ShouldContain("2024-25");
        Text(cover).ShouldContain("Final: accepted returns only.");
        Text(cover).ShouldContain("data@example");
        Text(workbook.Worksheet("Notes")).ShouldContain("confidential");
        Text(workbook.Worksheet("Contents")).ShouldContain("Table 3: by local authority, 2024-25");
    }

    [Fact]
    public void NationalWorkbook_Suppressed_ShowsCForSmallCountsAndRatesFromThem()
    {
        // Arrange
        var snapshot = BenchmarkSnapshots.TwoYears();

        // Act
        using var workbook = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Suppressed, "data@example", "Foundations"));

        // Assert
        var byLa = workbook.Worksheet("Local authorities");
        var medway = Row(byLa, "887");
        var header = Header(byLa);
        medway.Cell(header["Families who agreed to an FGC (families) [families_accepted]"]).GetString().ShouldBe("c");
        medway.Cell(header["Agreed FGCs that were held (% of families who agreed) [conversion_rate]"]).GetString().ShouldBe("c");
        medway.Cell(header["FGC coordinators (FTE) (fte) [coordinators_fte]"]).GetDouble().ShouldBe(2.5);
        Row(byLa, "855").Cell(header["FGC coordinators (FTE) (fte) [coordinators_fte]"]).GetString().ShouldBe("x");
        Row(byLa, "301").Cell(header["Families who agreed to an FGC (families) [families_accepted]"]).GetString().ShouldBe("x");
        var regions = workbook.Worksheet("Regions");
        var southEast = regions.RowsUsed().Single(r => r.Cell(1).GetString() == "E12000008" && r.Cell(3).GetString() == "families_accepted");
        southEast.Cell(6).GetString().ShouldBe("c");
        var england = workbook.Worksheet("England");
        var rate = england.RowsUsed().Single(r => r.Cell(2).GetString() == "conversion_rate");
        rate.Cell(7).GetDouble().ShouldBe((double)(49m / 63m * 100m), 0.0001);
        rate.Cell(12).GetDouble().ShouldBe(50); // public minimum
        rate.Cell(13).GetDouble().ShouldBe(90); // public maximum: Medway's suppressed 100 is left out
        Text(workbook.Worksheet("Cover")).ShouldNotContain("OFFICIAL-SENSITIVE");
    }

    [Fact]
    public void NationalWorkbook_Unsuppressed_ShowsEveryFigureAndIsMarkedOfficialSensitive()
    {
        var snapshot = BenchmarkSnapshots.TwoYears(BenchmarkKind.Provisional);

        using var workbook = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Unsuppressed, "data@example", "Foundations"));

        var byLa = workbook.Worksheet("Local authorities");
        Row(byLa, "887").Cell(Header(byLa)["Families who agreed to an FGC (families) [families_accepted]"]).GetDouble().ShouldBe(3);
        Text(workbook.Worksheet("Cover")).ShouldContain("OFFICIAL-SENSITIVE");
        Text(workbook.Worksheet("Cover")).ShouldContain("Provisional");
    }

    [Fact]
    public void NationalWorkbook_YearOnYear_LinesUpRenamedItems()
    {
        var snapshot = BenchmarkSnapshots.TwoYears();

        using var workbook = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Suppressed, "data@example", "Foundations"));

        var series = workbook.Worksheet("Year on year");
        var header = Header(series);
        var held = series.RowsUsed().Single(r => r.Cell(1).GetString() == "initial_fgcs_held" && r.Cell(6).GetString() == "E92000001");
        held.Cell(header["2023-24"]).GetDouble().ShouldBe(45);
        held.Cell(header["2024-25"]).GetDouble().ShouldBe(49);
        series.RowsUsed().ShouldNotContain(r => r.Cell(1).GetString() == "fgcs_held");
    }

    [Fact]
    public void Workbooks_HostileText_IsNeverAFormula()
    {
        var snapshot = BenchmarkSnapshots.TwoYears();

        using var national = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Suppressed, "data@example", "Foundations"));
        using var la = Reopen(LaBenchmarkWorkbook.Create(snapshot, "855", "data@example", "Foundations"));

        foreach (var cell in national.Worksheets.Concat(la.Worksheets).SelectMany(w => w.CellsUsed()))
        {
            cell.HasFormula.ShouldBeFalse(cell.Address.ToString());
            if (cell.GetString().Contains("HYPERLINK", StringComparison.Ordinal))
            {
                // ClosedXML stores the apostrophe as Excel does: a quote prefix on a text cell.
                cell.DataType.ShouldBe(XLDataType.Text);
                (cell.Style.IncludeQuotePrefix || cell.GetString().StartsWith('\'')).ShouldBeTrue(cell.Address.ToString());
            }
        }
    }

    [Fact]
    public void LaWorkbook_ShowsOwnFiguresInFullAndOthersSuppressed()
    {
        var snapshot = BenchmarkSnapshots.TwoYears();

        using var workbook = Reopen(LaBenchmarkWorkbook.Create(snapshot, "887", "data@example", "Foundations"));

        workbook.Worksheets.Select(w => w.Name).ShouldBe(["Cover", "Contents", "Notes", "Comparison", "Neighbours", "Year on year"]);
        var comparison = workbook.Worksheet("Comparison");
        var accepted = comparison.RowsUsed().Single(r => r.Cell(1).GetString() == "families_accepted");
        accepted.Cell(4).GetDouble().ShouldBe(3); // its own small count, in full
        accepted.Cell(5).GetDouble().ShouldBe(3); // rank
        accepted.Cell(8).GetDouble().ShouldBe(63); // England total
        accepted.Cell(10).GetString().ShouldBe("c"); // South East total is Medway's own 3, but as a region figure it is suppressed
        accepted.Cell(12).GetDouble().ShouldBe(60); // neighbours total
        var neighbours = workbook.Worksheet("Neighbours");
        neighbours.Cell(4, 3).GetString().ShouldBe("Medway");
        neighbours.Cell(4, 4).GetDouble().ShouldBe(100); // own rate in full
        neighbours.Cell(5, 4).GetDouble().ShouldBe(90);
    }

    [Fact]
    public void OpenData_WritesTidyEesColumnsSuppressedWithMetadata()
    {
        var snapshot = BenchmarkSnapshots.TwoYears();
        using var data = new StringWriter(CultureInfo.InvariantCulture);
        using var meta = new StringWriter(CultureInfo.InvariantCulture);

        OpenDataCsv.WriteData(snapshot, data);
        OpenDataCsv.WriteMetadata(snapshot, meta);

        var lines = data.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,breakdown_topic,breakdown,families_accepted,initial_fgcs_held,coordinators_fte,coordinators_fte_median_of_las,conversion_rate");
        lines.ShouldContain("202425,Financial year,National,E92000001,England,,,,,,Total,Total,63,49,z,3.3,77.8");
        lines.ShouldContain("202425,Financial year,Local authority,E92000001,England,E12000008,South East,E06000035,887,Medway,Total,Total,c,c,2.5,z,c");
        lines.ShouldContain("202324,Financial year,National,E92000001,England,,,,,,Total,Total,50,45,z,x,x");
        lines.Single(l => l.Contains(",856,", StringComparison.Ordinal)).ShouldContain("\"'=HYPERLINK(");
        var metaLines = meta.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        metaLines[0].ShouldBe("col_name,col_type,label,indicator_grouping,indicator_unit,indicator_dp,filter_hint,filter_grouping_column");
        metaLines.ShouldContain("breakdown,Filter,Group,,,,The group within the breakdown,breakdown_topic");
        metaLines.ShouldContain("conversion_rate,Indicator,Agreed FGCs that were held (% of families who agreed),Indicators,%,1,,");
        metaLines.ShouldContain("families_accepted,Indicator,Families who agreed to an FGC,Conferences,,0,,");
        metaLines.ShouldContain("coordinators_fte_median_of_las,Indicator,FGC coordinators (FTE) (median of LAs),Conferences,,1,,");
    }

    private static XLWorkbook Reopen(XLWorkbook workbook)
    {
        var bytes = GafWorkbook.ToBytes(workbook);
        workbook.Dispose();
        return new XLWorkbook(new MemoryStream(bytes));
    }

    private static string Text(IXLWorksheet sheet) => string.Join("\n", sheet.CellsUsed().Select(c => c.GetString()));

    private static Dictionary<string, int> Header(IXLWorksheet sheet) =>
        sheet.Row(3).CellsUsed().ToDictionary(c => c.GetString(), c => c.Address.ColumnNumber);

    private static IXLRow Row(IXLWorksheet sheet, string code) => sheet.RowsUsed().Single(r => r.RowNumber() > 3 && r.Cell(1).GetString() == code);
}
